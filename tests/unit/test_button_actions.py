"""Button actions as data: every action's callback data is pinned, round-trips within 64 bytes,
and anything forged, stale or malformed decodes to nothing.

The pinned strings are on buttons already sent to children and staff: changing one would break
every such button still in a chat, so a change here must be a new tag, never a new layout.
"""

from __future__ import annotations

from typing import Annotated

import pytest

from bot.domain import actions, buttons
from bot.domain.alerting import AlertVerb
from bot.domain.checkin_rules import SKIP

PINNED = [
    (actions.CheckinAnswer(12, "companionship", 3), "c:12:companionship:3"),
    (actions.CheckinAnswer(1, "words", SKIP), "c:1:words:-1"),
    (actions.GuardianConsent(7, True), "g:7:y"),
    (actions.GuardianConsent(7, False), "g:7:n"),
    (actions.ChildAssent(8, True), "a:8:y"),
    (actions.ChildAssent(8, False), "a:8:n"),
    (actions.ChooseLanguage("zh_CN"), "l:zh_CN"),
    (actions.ChooseLanguage("en"), "l:en"),
    (actions.AlertAction(40, AlertVerb.ACKNOWLEDGE), "v:40:ack"),
    (actions.AlertAction(40, AlertVerb.CONTACTED), "v:40:done"),
    (actions.AlertAction(40, AlertVerb.ESCALATE), "v:40:esc"),
    (actions.AlertAction(40, AlertVerb.SNOOZE), "v:40:snz"),
    (actions.AskForHelp(5), "s:5"),
    (actions.RelayChoice(300, 0), "r:300:0"),
    (actions.RelayChoice(300, 9), "r:300:9"),
    (actions.QuickReply(301, "miss"), "q:301:miss"),
    (actions.QuickReply(301, "write"), "q:301:write"),
    (actions.MuteRelay(9, 7), "m:9:7"),
    (actions.CallProposalAnswer(4, "61930", True), "cp:4:61930:y"),
    (actions.CallProposalAnswer(4, "61930", False), "cp:4:61930:n"),
    (actions.CallHappened(17, True), "ct:17:y"),
    (actions.CallHappened(17, False), "ct:17:n"),
    (actions.ShareHighlight(5, ""), "hl:5:-"),
    (actions.ShareHighlight(5, "drew_picture"), "hl:5:drew_picture"),
    (actions.NudgeAction(6, "w"), "n:6:w"),
    (actions.NudgeAction(6, "s"), "n:6:s"),
    (actions.ListenVoice(88), "lv:88"),
]


@pytest.mark.parametrize(("action", "data"), PINNED, ids=[data for _, data in PINNED])
def test_each_action_keeps_its_callback_data_byte_for_byte(action, data):
    assert actions.encode(action) == data
    assert actions.decode(data) == action


def test_every_declared_action_is_pinned_and_has_a_handler():
    from bot.services.entry.button_table import BUTTONS

    declared = {layout.kind for layout in buttons.declared()}
    assert {type(action) for action, _ in PINNED} == declared
    assert set(BUTTONS) == declared
    assert len({layout.tag for layout in buttons.declared()}) == len(declared)


@pytest.mark.parametrize(
    "action",
    [
        actions.CheckinAnswer(2**40, "companionship", 3),
        actions.CheckinAnswer(10**17, "a" * 24, 10**17),  # exactly 64 bytes
        actions.RelayChoice(2**40, 0),
        actions.ShareHighlight(-3, "x"),
        actions.CallProposalAnswer(10**17, "00000", False),
    ],
)
def test_actions_round_trip_within_64_bytes(action):
    data = actions.encode(action)
    assert len(data.encode()) <= buttons.MAX_BYTES
    assert actions.decode(data) == action


def test_data_over_64_bytes_is_neither_written_nor_read():
    big = actions.CheckinAnswer(-(10**17), "a" * 24, -(10**17))
    with pytest.raises(ValueError, match="64 bytes"):
        actions.encode(big)
    data = f"c:{-(10**17)}:{'a' * 24}:{-(10**17)}"
    assert len(data.encode()) > 64 and actions.decode(data) is None


@pytest.mark.parametrize(
    "action",
    [
        actions.ChooseLanguage("zh:CN"),  # the separator inside a part
        actions.ChooseLanguage("中文"),
        actions.QuickReply(1, "hug"),
        actions.CheckinAnswer(1, "MOOD", 1),
        actions.CheckinAnswer(10**18, "mood", 1),  # 19 digits would not read back
        actions.MuteRelay(True, 1),  # a bool is not an id
        actions.AlertAction(1, "nope"),
        actions.NudgeAction(1, "x"),
        actions.CallProposalAnswer(1, "1930", True),
        actions.ShareHighlight(1, "-"),
    ],
)
def test_a_value_that_would_not_read_back_is_never_written(action):
    with pytest.raises(ValueError):
        actions.encode(action)


def test_only_declared_actions_encode():
    with pytest.raises(TypeError):
        actions.encode(object())


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        ":",
        "c:1:mood",
        "c:x:mood:1",
        "c::mood:1",
        "c:1:MOOD:1",
        "c:1:mood:1:extra",
        "c:1:mood\n:1",
        "c:1:mood:３",  # a full-width digit
        "s:١",  # an Arabic-Indic digit
        "g:1:maybe",
        "g:1:Y",
        "z:1",
        "C:1:mood:1",
        "l:" + "x" * 70,
        "l:x",
        "小明" * 20,
        "q:1:hug",
        "r:1",
        "m:x:1",
        "v:1:nope",
        "v:1:ACK",
        "v:1:ack ",
        "lv:",
        "lv:1:2",
        "lv:+5",
        "lv:1234567890123456789",
        "cp:1:1930:y",
        "cp:1:619300:y",
        "ct:1:yes",
        "hl:1:",
        "hl:1:-x",
        "n:1:x",
        "\x00",
    ],
)
def test_malformed_or_forged_callback_data_decodes_to_nothing(data):
    assert actions.decode(data) is None


def test_a_declaration_is_checked_when_made():
    with pytest.raises(ValueError, match="taken"):

        @buttons.button("c")
        class Again:
            checkin_id: int

    with pytest.raises(ValueError, match="malformed"):

        @buttons.button("two:parts")
        class BadTag:
            some_id: int

    with pytest.raises(TypeError, match="button field"):

        @buttons.button("zzz")
        class Untyped:
            note: str


def test_a_new_action_needs_only_its_declaration():
    @buttons.button("zt")
    class Sample:
        sample_id: int
        mood: Annotated[str, buttons.OneOf(("up", "down"))]
        verb: AlertVerb
        sure: bool

    try:
        sample = Sample(3, "up", AlertVerb.SNOOZE, False)
        assert actions.encode(sample) == "zt:3:up:snz:n"
        assert actions.decode("zt:3:up:snz:n") == sample
        assert actions.decode("zt:3:sideways:snz:n") is None
    finally:
        buttons._BY_TAG.pop("zt")
        buttons._BY_KIND.pop(Sample)
