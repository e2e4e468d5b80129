"""Button actions as data: every action's callback data is pinned, round-trips within 64 bytes,
and anything forged, stale or malformed decodes to nothing.

The pinned strings are on buttons already sent to children and staff: changing one would break
every such button still in a chat, so a change here must be a new tag, never a new layout.
"""

from __future__ import annotations

import pytest

from bot.domain import actions
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
