"""The transcript format: reading steps, naming ids, rewriting only the expected block."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import SHANGHAI
from tests.transcripts.script import load, parse_duration, write_expected
from tests.transcripts.view import Aliases, ChatView, Numbering, Shown, changes

SCRIPT = """\
# a comment that must survive rewriting
start: 2026-11-23 16:45
people:
  xiaoming: {role: child, language: zh}
  mum: {role: parent, of: xiaoming}
steps:
  - wait: 1d 3h   # a comment on a step
  - xiaoming taps: 🙂
  - mum: hello
    show: nobody
expected: |
  old
"""


def test_steps_people_and_options_are_read(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(SCRIPT, encoding="utf-8")
    script = load(path, SHANGHAI)
    assert [p.language_code for p in script.people] == ["zh-hans", "en"]
    assert [(s.verb, s.who) for s in script.steps] == [
        ("wait", ""),
        ("taps", "xiaoming"),
        ("says", "mum"),
    ]
    assert script.steps[0].value == timedelta(days=1, hours=3)
    assert script.steps[2].show == ()
    assert script.expected == "old\n"


def test_rewriting_keeps_everything_above_the_expected_block(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(SCRIPT, encoding="utf-8")
    write_expected(path, "[1] new\n\n  indented\n")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# a comment that must survive rewriting")
    assert "# a comment on a step" in text
    assert load(path, SHANGHAI).expected == "[1] new\n\n  indented\n"


@pytest.mark.parametrize("bad", ["3 hours", "h", "10"])
def test_a_duration_is_minutes_hours_or_days(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_ids_are_named_in_order_of_appearance() -> None:
    aliases = Aliases()
    assert aliases.data("c:41:mood:4") == "c:checkin1:mood:4"
    assert aliases.data("c:57:mood:4") == "c:checkin2:mood:4"
    assert aliases.data("c:41:words:-1") == "c:checkin1:words:-1"
    assert aliases.data("r:9:0") == "r:relay1:0"  # child 0 means "all of them"
    assert aliases.data("l:en") == "l:en"
    assert aliases.data("not callback data") == "not callback data"
    link = "https://t.me/some_bot?start=AbC_12-x"
    assert aliases.text(f"Open {link}") == "Open https://t.me/BOT?start=code1"


def test_a_step_shows_new_edited_and_deleted_messages_in_chat_order() -> None:
    before = ChatView({1: Shown(1, True, "old"), 2: Shown(2, False, "my words")})
    after = ChatView(
        {
            1: Shown(1, True, "old", deleted=True),
            2: Shown(2, False, "my words", deleted=True),
            3: Shown(3, True, "new <b>one</b>", ((("OK", "c:5:mood:4"),),)),
        },
        toasts=["Noted"],
    )
    lines = changes("ming", before, after, Aliases(), Numbering(), {2: 4})
    assert lines == [
        "  ming sees a notice: Noted",
        "  ming's earlier message is deleted",
        "  ming's own message of step 4 is deleted",
        "  ming gets #1:",
        "    new <b>one</b>",
        "    [OK → c:checkin1:mood:4]",
    ]
