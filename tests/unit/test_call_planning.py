"""The call negotiation's pure decisions (bot/domain/call_planning.py), over plain values."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.call_planning import (
    DueStep,
    answer_effect,
    ask_status,
    due_plan,
    happened_status,
    may_call,
    proposal_refusal,
    reopens,
    summarise,
    windows,
)
from bot.domain.call_rules import CallStatus, parse_call_time
from bot.domain.dialog_data import CallTiming
from bot.domain.schedule import BlockedTimes

SHANGHAI = ZoneInfo("Asia/Shanghai")
BLOCKED = BlockedTimes.parse(["mon-fri 08:00-16:30", "daily 21:00-07:00"])
TIMING = CallTiming(timedelta(minutes=30), timedelta(minutes=60), timedelta(hours=24))
MONDAY = datetime(2026, 11, 23, 16, 45, tzinfo=SHANGHAI)
SUNDAY_1930 = datetime(2026, 11, 29, 19, 30, tzinfo=SHANGHAI)
SUNDAY = parse_call_time("sun", "19:30")


@pytest.mark.parametrize(
    ("paused", "joined", "consents", "allowed"),
    [
        (False, True, True, True),
        (True, True, True, False),
        (False, False, True, False),
        (False, True, False, False),
    ],
)
def test_a_pair_may_call_only_joined_consented_and_not_paused(
    paused: bool, joined: bool, consents: bool, allowed: bool
) -> None:
    assert may_call(paused, joined, consents) is allowed


def test_a_proposal_is_refused_paused_first_then_not_yet_then_school_or_night() -> None:
    school = parse_call_time("mon", "10:00")
    assert proposal_refusal(school, True, False, BLOCKED) == "call_paused"
    assert proposal_refusal(school, False, False, BLOCKED) == "call_not_yet"
    assert proposal_refusal(school, False, True, BLOCKED) == "call_blocked"
    assert proposal_refusal(parse_call_time("sun", "22:30"), False, True, BLOCKED) == (
        "call_blocked"
    )
    assert proposal_refusal(SUNDAY, False, True, BLOCKED) is None


def test_agreeing_replaces_the_call_from_its_next_occurrence() -> None:
    effect = answer_effect(True, SUNDAY, "sat 10:00", None, MONDAY, SHANGHAI)
    assert effect.call_schedule == "sun 19:30" and effect.next_call_at == SUNDAY_1930
    assert effect.cancel_upcoming and effect.kept is None


def test_another_time_keeps_what_was_agreed_before() -> None:
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)
    effect = answer_effect(False, SUNDAY, "sat 10:00", saturday, MONDAY, SHANGHAI)
    assert effect.call_schedule == "sat 10:00" and effect.next_call_at == saturday
    assert not effect.cancel_upcoming and effect.kept == parse_call_time("sat", "10:00")
    nothing = answer_effect(False, SUNDAY, None, None, MONDAY, SHANGHAI)
    assert nothing.call_schedule is None and nothing.next_call_at is None and not nothing.kept


def test_a_due_call_is_reminded_before_it_starts_and_the_plan_moves_a_week_on() -> None:
    before = due_plan(
        SUNDAY_1930, "sun 19:30", SUNDAY_1930 - timedelta(minutes=30), SHANGHAI, TIMING
    )
    assert before.step == DueStep.REMIND
    assert before.next_call_at == SUNDAY_1930 + timedelta(days=7)
    started = due_plan(SUNDAY_1930, "sun 19:30", SUNDAY_1930, SHANGHAI, TIMING)
    assert started.step == DueStep.OPEN  # recorded (and asked about), no reminder
    last = SUNDAY_1930 + TIMING.ask_after + TIMING.answer_within
    assert due_plan(SUNDAY_1930, "sun 19:30", last, SHANGHAI, TIMING).step == DueStep.OPEN
    late = due_plan(SUNDAY_1930, "sun 19:30", last + timedelta(seconds=1), SHANGHAI, TIMING)
    assert late.step == DueStep.TOO_LATE and late.next_call_at == before.next_call_at


def test_a_due_moment_without_an_agreed_call_is_forgotten() -> None:
    stopped = due_plan(SUNDAY_1930, None, SUNDAY_1930, SHANGHAI, TIMING)
    assert stopped.step == DueStep.STOPPED and stopped.next_call_at is None


def test_the_tick_windows_follow_the_timing() -> None:
    now = SUNDAY_1930
    seen = windows(now, TIMING)
    assert seen.remind_until == now + timedelta(minutes=30)
    assert seen.ask_by == now - timedelta(hours=1)
    assert seen.close_by == now - timedelta(hours=25)


def test_only_a_cancelled_record_opens_again() -> None:
    assert reopens(CallStatus.CANCELLED)
    assert not any(reopens(s) for s in CallStatus if s != CallStatus.CANCELLED)


def test_a_held_call_is_asked_about_only_when_the_child_can_be_reached_and_may_call() -> None:
    assert ask_status(True, True) == CallStatus.ASKED
    assert ask_status(False, True) == CallStatus.UNANSWERED
    assert ask_status(True, False) == CallStatus.UNANSWERED
    assert happened_status(True) == CallStatus.HAPPENED
    assert happened_status(False) == CallStatus.MISSED


def test_summaries_count_outcomes_and_leave_none_for_a_child_without_any() -> None:
    records = [(1, "happened"), (1, "missed"), (1, "missed"), (1, "asked"), (2, "asked")]
    assert summarise([1, 2, 3], records) == {
        1: {"happened": 1, "missed": 2, "unanswered": 0},
        2: None,
        3: None,
    }
