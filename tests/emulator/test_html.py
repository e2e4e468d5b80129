"""parse_mode=HTML: plain text and entities as Telegram computes them, and its errors."""

from __future__ import annotations

import pytest

from bot.emulator.errors import ApiError
from bot.emulator.html_entities import parse_html, utf16_len


def _error(source: str) -> str:
    with pytest.raises(ApiError) as info:
        parse_html(source)
    assert info.value.code == 400
    assert info.value.description.startswith("Bad Request: can't parse entities: ")
    return info.value.description


def test_plain_text_and_named_and_numeric_entities() -> None:
    text, entities = parse_html("a &lt;b&gt; &amp; &quot;q&quot; &#39;x&#x27; > end")
    assert text == "a <b> & \"q\" 'x' > end"
    assert entities == []


def test_entities_offsets_are_utf16() -> None:
    text, entities = parse_html("😀 <b>粗体</b> <i>i</i>")
    assert text == "😀 粗体 i"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 2},
        {"type": "italic", "offset": 6, "length": 1},
    ]
    assert utf16_len("😀") == 2


def test_all_supported_tags() -> None:
    source = (
        "<strong>b</strong><em>i</em><ins>u</ins><del>s</del><strike>s</strike><s>s</s>"
        '<span class="tg-spoiler">p</span><tg-spoiler>p</tg-spoiler>'
        '<a href="https://example.com/?a=1&amp;b=2">l</a><code>c</code>'
        '<pre><code class="language-python">x = 1</code></pre>'
        "<blockquote>q</blockquote><blockquote expandable>e</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><B>upper</B>'
    )
    text, entities = parse_html(source)
    assert text == "biussspplcx = 1qe👍upper"
    kinds = [e["type"] for e in entities]
    assert kinds == [
        "bold", "italic", "underline", "strikethrough", "strikethrough", "strikethrough",
        "spoiler", "spoiler", "text_link", "code", "pre", "blockquote",
        "expandable_blockquote", "custom_emoji", "bold",
    ]  # fmt: skip
    link = next(e for e in entities if e["type"] == "text_link")
    assert link["url"] == "https://example.com/?a=1&b=2"
    pre = next(e for e in entities if e["type"] == "pre")
    assert pre["language"] == "python" and pre["length"] == 5


def test_nested_tags() -> None:
    text, entities = parse_html("<b>bold <i>both</i></b>")
    assert text == "bold both"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 5, "length": 4},
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("line<br>next", 'Unsupported start tag "br" at byte offset 4'),
        ("你好<br/>", 'Unsupported start tag "br/" at byte offset 6'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ('<a href="x>y', "Unclosed start tag at byte offset 0"),
        ("AT&T", "Character entity expected at byte offset 2"),
        ("&nbsp;", "Character entity expected at byte offset 0"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b x>y</b>", 'Expected equal sign in declaration of an attribute of the tag "b"'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
    ],
)
def test_errors(source: str, expected: str) -> None:
    assert expected in _error(source)
