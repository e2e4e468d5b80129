"""When a relayed message may be released, as pure planning (`bot.domain.relay_release`):
every case over plain values, with the recipient's hours a simple rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.relay import RelayStatus
from bot.domain.relay_release import (
    UNREACHABLE_RETRY,
    Decision,
    Recipient,
    Step,
    Told,
    after_refusal,
    at_its_moment,
    from_child,
    from_parent,
    words_for_parent,
)

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OPENS = NOW + timedelta(hours=6)  # the recipient's hours open then


def closed_until_opens(after: datetime) -> datetime:
    return max(after, OPENS)


def always_open(after: datetime) -> datetime:
    return after


CHILD = Recipient(is_child=True, joined=True)
PARENT = Recipient(is_child=False, joined=True)
UNJOINED_CHILD = Recipient(is_child=True, joined=False)
BLOCKED_PARENT = Recipient(is_child=False, joined=True, unreachable=True)
MUTED_CHILD = Recipient(is_child=True, joined=True, muted_until=NOW + timedelta(days=1))
LOOK_LATER = Decision(Step.WAIT, NOW + UNREACHABLE_RETRY)


@pytest.mark.parametrize(
    ("recipient", "held", "hours", "expected"),
    [
        (None, False, always_open, Decision(Step.FAIL)),
        (CHILD, True, always_open, Decision(Step.HOLD)),
        (PARENT, True, always_open, Decision(Step.HOLD)),
        (UNJOINED_CHILD, False, always_open, LOOK_LATER),
        (BLOCKED_PARENT, False, always_open, LOOK_LATER),
        (CHILD, False, closed_until_opens, Decision(Step.WAIT, OPENS)),
        (PARENT, False, closed_until_opens, Decision(Step.WAIT, OPENS)),
        (CHILD, False, always_open, Decision(Step.RELEASE)),
        (PARENT, False, always_open, Decision(Step.RELEASE)),
    ],
    ids=["gone", "child held", "parent held", "not joined", "blocked", "child's hours",
         "parent's hours", "child now", "parent now"],
)  # fmt: skip
def test_at_its_moment(recipient, held, hours, expected):
    assert at_its_moment(recipient, held, hours, NOW) == expected


def test_a_held_message_stays_held_even_for_someone_unreachable():
    assert at_its_moment(UNJOINED_CHILD, True, always_open, NOW).step == Step.HOLD


def test_a_mute_moves_the_letter_to_the_first_allowed_hour_after_it():
    muted = Recipient(is_child=True, joined=True, muted_until=NOW + timedelta(days=1))
    later = NOW + timedelta(days=1, hours=3)
    decision = at_its_moment(muted, False, lambda after: max(after, later), NOW)
    assert decision == Decision(Step.WAIT, later)


def test_a_mute_that_ended_is_no_mute():
    ended = Recipient(is_child=True, joined=True, muted_until=NOW - timedelta(minutes=1))
    assert at_its_moment(ended, False, always_open, NOW).step == Step.RELEASE


@pytest.mark.parametrize(
    ("child", "held", "hours", "status", "release", "told"),
    [
        (CHILD, True, always_open, RelayStatus.HELD, False, Told.PAUSED),
        (UNJOINED_CHILD, False, always_open, RelayStatus.QUEUED, False, Told.NOT_JOINED),
        (MUTED_CHILD, False, always_open, RelayStatus.QUEUED, False, Told.LATER),
        (CHILD, False, closed_until_opens, RelayStatus.QUEUED, False, Told.AT),
        (CHILD, False, always_open, RelayStatus.QUEUED, True, Told.SOON),
    ],
    ids=["held", "not joined", "muted", "after school", "now"],
)  # fmt: skip
def test_a_parents_letter_as_it_is_written(child, held, hours, status, release, told):
    arrival = from_parent(child, held, hours, NOW)
    assert (arrival.status, arrival.release_now, arrival.told) == (status, release, told)
    assert arrival.deliver_after == (None if held else hours(NOW))


def test_a_muted_childs_copy_is_queued_for_the_next_allowed_hour_not_the_end_of_the_mute():
    muted = Recipient(is_child=True, joined=True, muted_until=NOW + timedelta(days=3))
    assert from_parent(muted, False, closed_until_opens, NOW).deliver_after == OPENS


@pytest.mark.parametrize(
    ("held", "hours", "status", "release"),
    [
        (True, always_open, RelayStatus.HELD, False),
        (False, closed_until_opens, RelayStatus.QUEUED, False),
        (False, always_open, RelayStatus.QUEUED, True),
    ],
)
def test_a_childs_answer_as_it_is_written(held, hours, status, release):
    arrival = from_child(held, hours, NOW)
    assert (arrival.status, arrival.release_now) == (status, release)
    assert arrival.deliver_after == hours(NOW)


def test_a_refusal_waits_for_a_blocked_recipient_and_is_final_otherwise():
    assert after_refusal(True, NOW) == Decision(Step.WAIT, NOW + UNREACHABLE_RETRY)
    assert after_refusal(False, NOW) == Decision(Step.FAIL)


def test_words_after_reply_go_to_the_parent_unless_a_check_in_waits_for_words():
    assert words_for_parent(7, checkin_waits_for_words=False) == 7
    assert words_for_parent(7, checkin_waits_for_words=True) is None
    assert words_for_parent(None, checkin_waits_for_words=False) is None
