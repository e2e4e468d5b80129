"""Per-account allowances for unearned answers: a few, then one notice, then silence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.throttle import AccountThrottle, Allowance, Throttles, Verdict

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def test_a_burst_then_one_notice_then_silence():
    throttle = AccountThrottle(Allowance(3, timedelta(minutes=10)))
    verdicts = [throttle.take(7, NOON) for _ in range(6)]
    assert verdicts == [Verdict.GO] * 3 + [Verdict.TELL, Verdict.SILENT, Verdict.SILENT]


def test_one_answer_comes_back_each_interval_and_the_notice_with_it():
    throttle = AccountThrottle(Allowance(1, timedelta(minutes=10)))
    assert throttle.take(7, NOON) is Verdict.GO
    assert throttle.take(7, NOON + timedelta(minutes=5)) is Verdict.TELL
    assert throttle.take(7, NOON + timedelta(minutes=9)) is Verdict.SILENT
    assert throttle.take(7, NOON + timedelta(minutes=10)) is Verdict.GO
    assert throttle.take(7, NOON + timedelta(minutes=11)) is Verdict.TELL


def test_accounts_are_independent():
    throttle = AccountThrottle(Allowance(1, timedelta(hours=1)))
    assert throttle.take(1, NOON) is Verdict.GO
    assert throttle.take(1, NOON) is Verdict.TELL
    assert throttle.take(2, NOON) is Verdict.GO


def test_a_refund_gives_the_try_back_but_never_more_than_the_burst():
    throttle = AccountThrottle(Allowance(2, timedelta(hours=1)))
    throttle.refund(7, NOON)  # a fresh account is already full
    assert [throttle.take(7, NOON) for _ in range(3)] == [Verdict.GO, Verdict.GO, Verdict.TELL]
    throttle.refund(7, NOON)
    assert throttle.take(7, NOON) is Verdict.GO


def test_memory_is_bounded_and_the_least_recent_account_is_forgotten():
    throttle = AccountThrottle(Allowance(1, timedelta(hours=1)), max_accounts=3)
    for account in (1, 2, 3):
        throttle.take(account, NOON)
    throttle.take(1, NOON)  # heard again: now the most recent
    throttle.take(4, NOON)
    assert len(throttle) == 3
    assert throttle.take(2, NOON) is Verdict.GO  # forgotten, so a fresh allowance
    assert throttle.take(1, NOON) is Verdict.SILENT  # kept: it was told already


def test_a_clock_going_back_refills_nothing():
    throttle = AccountThrottle(Allowance(1, timedelta(minutes=10)))
    throttle.take(7, NOON)
    assert throttle.take(7, NOON - timedelta(hours=1)) is Verdict.TELL
    assert throttle.take(7, NOON + timedelta(minutes=9)) is Verdict.SILENT


def test_settings_spread_invite_tries_over_the_hour():
    throttles = Throttles.of(replies=2, reply_minutes=10, invite_tries_per_hour=4)
    assert throttles.invite_tries.allowance == Allowance(4, timedelta(minutes=15))
    assert throttles.stranger_replies.allowance == Allowance(2, timedelta(minutes=10))


def test_an_allowance_must_allow_something():
    with pytest.raises(ValueError):
        Allowance(0, timedelta(minutes=1))
