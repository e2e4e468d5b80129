"""Small pieces of the Telegram layer that need no network."""

from __future__ import annotations

from bot.telegram.mapping import clip_utf16, split_command, split_text, visible_len


def test_long_messages_are_split_at_line_breaks():
    lines = [f"<b>child{n}</b> ▁▂▃ last check-in Mon" for n in range(400)]
    pieces = split_text("\n".join(lines))
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces) == "\n".join(lines)
    assert split_text("short") == ["short"]
    assert [len(p) for p in split_text("x" * 5000)] == [4096, 904]


def test_commands_are_parsed_with_the_bot_name_and_arguments():
    assert split_command("/Invite@tongban_bot child ming 10-12") == (
        "invite",
        "child ming 10-12",
    )
    assert split_command("/note ming\nline one\nline two\n") == (
        "note",
        "ming\nline one\nline two",
    )
    assert split_command("/mychildren") == ("mychildren", "")


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_pieces_are_measured_in_utf16_units_as_telegram_counts():
    letter = "💌 <b>A message from Mum</b>\n\n" + "想" * 3690 + "😀" * 200
    pieces = split_text(letter)
    assert len(pieces) == 2 and all(_units(p) <= 4096 for p in pieces)
    assert "".join(pieces).replace("\n", "") == letter.replace("\n", "")
    assert [_units(p) for p in split_text("😀" * 2100)] == [4096, 104]  # no half emoji


def test_a_hard_cut_inside_a_tag_closes_it_and_opens_it_again():
    pieces = split_text("<b>" + "想" * 5000 + "</b>")
    assert all(p.startswith("<b>") and p.endswith("</b>") for p in pieces)
    assert all(_units(p) <= 4096 for p in pieces)
    assert sum(p.count("想") for p in pieces) == 5000
    tagged = split_text("x" * 4090 + '<a href="https://t.me/x">link</a>')
    assert tagged == ["x" * 4090, '<a href="https://t.me/x">link</a>']  # never inside a tag


def test_toasts_and_captions_are_measured_in_utf16_units():
    assert clip_utf16("😀" * 150, 200) == "😀" * 100
    assert clip_utf16("a" + "😀" * 100, 200) == "a" + "😀" * 99  # never half an emoji
    assert clip_utf16("short", 200) == "short"
    assert visible_len("<b>😀</b> &amp;") == 4
