"""Small pieces of the Telegram layer that need no network."""

from __future__ import annotations

from bot.telegram.mapping import split_command, split_text


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
