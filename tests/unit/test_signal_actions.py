"""What the bot does with each detector signal (`action_for`), and when a carer may hear."""

from __future__ import annotations

import pytest

from bot.domain.alerting import SignalAction, action_for, may_tell_carer
from bot.domain.detection import Reason, Severity


@pytest.mark.parametrize(
    ("reason", "severity", "action"),
    [
        (Reason.SILENCE_RETRY, Severity.WATCH, SignalAction.RETRY),
        (Reason.SILENCE_CARER, Severity.WATCH, SignalAction.TELL_CARER),
        (Reason.CONSISTENTLY_LONELY, Severity.WATCH, SignalAction.FLAG),
        (Reason.SILENCE_TASK, Severity.ALERT, SignalAction.ALERT),
        (Reason.DRIFT, Severity.ALERT, SignalAction.ALERT),
        (Reason.HIGH_LONELINESS, Severity.ALERT, SignalAction.ALERT),
        (Reason.DRIFT, Severity.WATCH, SignalAction.NOTHING),  # any other watch: record only
    ],
)
def test_each_signal_maps_to_one_action(reason, severity, action):
    assert action_for(reason.value, severity.value) == action


def test_the_new_signals_are_watch_steps_never_alerts():
    for reason in (Reason.SILENCE_CARER, Reason.CONSISTENTLY_LONELY):
        assert action_for(reason.value, Severity.WATCH.value) != SignalAction.ALERT


@pytest.mark.parametrize(
    ("live", "allowed"),
    [
        ([], True),
        ([("silence_task", "alert"), ("drift", "alert")], True),  # a worry: the carer helps
        ([("crisis", "urgent")], False),  # could tip off the very adult a report is about
        ([("abuse_report", "urgent")], False),
        ([("sos", "urgent")], False),
        ([("drift", "alert"), ("crisis", "urgent")], False),
    ],
)
def test_the_carer_hears_nothing_while_a_crisis_or_abuse_alert_is_live(live, allowed):
    assert may_tell_carer(live) is allowed
