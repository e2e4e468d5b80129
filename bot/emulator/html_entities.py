"""Telegram's parse_mode=HTML, checked as strictly as the server does.

Returns the plain text and the MessageEntity list the server would store, so
lengths are counted after parsing (in UTF-16 code units) and edits compare the
same way Telegram compares them. Modelled on tdlib's parse_html, except that a
bare "&" that is not a known entity is rejected (the spec asks for strictness).
"""

from __future__ import annotations

import re
from typing import Any

from .errors import PARSE_ENTITIES, ApiError

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,10})|([a-zA-Z]{1,10}));")
_SPECIAL = re.compile(r"[<&]")
_SPACE = " \t\r\n"


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _fail(message: str) -> ApiError:
    return ApiError(400, PARSE_ENTITIES + message)


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _decode_entity(source: str, i: int, strict: bool) -> tuple[str, int]:
    """Decode the entity at source[i] == "&"; return (text, next index)."""
    match = _ENTITY_RE.match(source, i)
    char: str | None = None
    if match:
        hex_code, dec_code, name = match.groups()
        if name is not None:
            char = _NAMED.get(name)
        else:
            code = int(hex_code, 16) if hex_code is not None else int(dec_code)
            if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                char = chr(code)
    if match and char is not None:
        return char, match.end()
    if strict:
        raise _fail(f"Character entity expected at byte offset {_byte_offset(source, i)}")
    return "&", i + 1


def _decode_value(raw: str) -> str:
    out: list[str] = []
    i = 0
    while (j := raw.find("&", i)) != -1:
        out.append(raw[i:j])
        text, i = _decode_entity(raw, j, strict=False)
        out.append(text)
    out.append(raw[i:])
    return "".join(out)


def _skip_space(source: str, i: int) -> int:
    while i < len(source) and source[i] in _SPACE:
        i += 1
    return i


def _parse_start_tag(source: str, begin: int) -> tuple[str, dict[str, str], int]:
    """Parse "<name attr=...>" at `begin`; return (name, attributes, index after ">")."""
    n = len(source)
    i = begin + 1
    while i < n and source[i] not in _SPACE and source[i] != ">":
        i += 1
    if i >= n:
        raise _fail(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
    name = source[begin + 1 : i].lower()
    if name not in _ENTITY_TYPES:
        raise _fail(f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, begin)}')
    attrs: dict[str, str] = {}
    while True:
        i = _skip_space(source, i)
        if i >= n:
            raise _fail(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
        if source[i] == ">":
            return name, attrs, i + 1
        start = i
        while i < n and source[i] not in _SPACE and source[i] not in "=>":
            i += 1
        attr = source[start:i].lower()
        if not attr:
            raise _fail(
                f'Empty attribute name in the tag "{name}" at byte offset '
                f"{_byte_offset(source, begin)}"
            )
        i = _skip_space(source, i)
        if i >= n or source[i] != "=":
            if name == "blockquote" and attr == "expandable":
                attrs[attr] = ""
                continue
            raise _fail(
                f'Expected equal sign in declaration of an attribute of the tag "{name}"'
                f" at byte offset {_byte_offset(source, begin)}"
            )
        i = _skip_space(source, i + 1)
        if i >= n:
            raise _fail(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
        if source[i] in "\"'":
            end = source.find(source[i], i + 1)
            if end == -1:
                raise _fail(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
            value, i = source[i + 1 : end], end + 1
        else:
            start = i
            while i < n and (source[i].isalnum() or source[i] in ".-_"):
                i += 1
            value = source[start:i]
        attrs[attr] = _decode_value(value)


class _Open:
    __slots__ = ("attrs", "name", "offset")

    def __init__(self, name: str, attrs: dict[str, str], offset: int) -> None:
        self.name, self.attrs, self.offset = name, attrs, offset


def _check_start(name: str, attrs: dict[str, str], source: str, begin: int) -> None:
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise _fail(
            f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(source, begin)}'
        )
    if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
        raise _fail(
            f'Custom emoji entity must contain a tag "emoji-id" at byte offset '
            f"{_byte_offset(source, begin)}"
        )


def _entity(tag: _Open, stack: list[_Open], end: int) -> dict[str, Any] | None:
    """The entity a closed tag yields, or None (empty, or folded into its <pre>)."""
    length = end - tag.offset
    kind = _ENTITY_TYPES[tag.name]
    language = tag.attrs.get("class", "")
    if kind == "code" and stack and stack[-1].name == "pre" and language.startswith("language-"):
        stack[-1].attrs["language"] = language.removeprefix("language-")
        return None
    if length <= 0:
        return None
    entity: dict[str, Any] = {"type": kind, "offset": tag.offset, "length": length}
    if kind == "text_link":
        url = tag.attrs.get("href", "")
        if not url:
            return None
        entity["url"] = url
    elif kind == "pre" and tag.attrs.get("language"):
        entity["language"] = tag.attrs["language"]
    elif kind == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    return entity


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) or raise the 400 Telegram would send."""
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[_Open] = []
    pos16 = 0  # UTF-16 length of the text emitted so far
    i, n = 0, len(source)
    while i < n:
        match = _SPECIAL.search(source, i)
        j = match.start() if match else n
        if j > i:
            chunk = source[i:j]
            out.append(chunk)
            pos16 += utf16_len(chunk)
            i = j
            continue
        if source[i] == "&":
            char, i = _decode_entity(source, i, strict=True)
            out.append(char)
            pos16 += utf16_len(char)
        elif source.startswith("</", i):
            close = source.find(">", i)
            if close == -1:
                raise _fail(f"Unclosed end tag at byte offset {_byte_offset(source, i)}")
            name = source[i + 2 : close].strip().lower()
            if not stack:
                raise _fail(f"Unexpected end tag at byte offset {_byte_offset(source, i)}")
            tag = stack.pop()
            if name != tag.name:
                raise _fail(
                    f"Unmatched end tag at byte offset {_byte_offset(source, i)}, "
                    f'expected "</{tag.name}>", found "</{name}>"'
                )
            if (entity := _entity(tag, stack, pos16)) is not None:
                entities.append(entity)
            i = close + 1
        else:
            name, attrs, after = _parse_start_tag(source, i)
            _check_start(name, attrs, source, i)
            stack.append(_Open(name, attrs, pos16))
            i = after
    if stack:
        raise _fail(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities
