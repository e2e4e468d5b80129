"""The negotiation of a weekly call as decisions over plain values, so they read (and are tested)
without a database: may this pair call, what a proposal answer does to the plan, and what the
tick does with a call given the time.

The services fetch rows, ask here, then write what the answer says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from zoneinfo import ZoneInfo

from bot.domain.call_rules import CallStatus, is_blocked
from bot.domain.dialog_data import CallTiming
from bot.domain.schedule import BlockedTimes, WeeklySchedule, next_occurrence

# The outcomes a volunteer is shown; "asked" ones still wait for the child's answer.
OUTCOMES = (CallStatus.HAPPENED, CallStatus.MISSED, CallStatus.UNANSWERED)


def may_call(relay_paused: bool, child_joined: bool, consents_complete: bool) -> bool:
    """A joined child whose consents stand, and a parent not paused for safeguarding."""
    return not relay_paused and child_joined and consents_complete


def proposal_refusal(
    schedule: WeeklySchedule, relay_paused: bool, callable_now: bool, blocked: BlockedTimes
) -> str | None:
    """Why a parent's proposal is refused (a user error key), checked in this order; None when
    it may go to the child."""
    if relay_paused:
        return "call_paused"
    if not callable_now:
        return "call_not_yet"
    if is_blocked(schedule, blocked):
        return "call_blocked"
    return None


@dataclass(frozen=True)
class AnswerEffect:
    """What an answer to the open proposal leaves on the plan."""

    call_schedule: str | None  # the agreed call after the answer
    next_call_at: datetime | None
    cancel_upcoming: bool  # a call already reminded under the old time is dropped
    kept: WeeklySchedule | None  # "another time": the call still agreed from before, if any


def answer_effect(
    agree: bool,
    answered: WeeklySchedule,
    agreed: str | None,
    next_call_at: datetime | None,
    now: datetime,
    tz: ZoneInfo,
) -> AnswerEffect:
    """Agreeing replaces the agreed call with the answered one from its next occurrence; asking
    for another time keeps whatever was agreed before."""
    if agree:
        return AnswerEffect(answered.format(), next_occurrence(answered, now, tz), True, None)
    kept = WeeklySchedule.parse(agreed) if agreed else None
    return AnswerEffect(agreed, next_call_at, False, kept)


class DueStep(Enum):
    """What the tick does with a plan whose next call has come within the reminder lead."""

    STOPPED = "stopped"  # no agreed call any more: forget the moment
    TOO_LATE = "too_late"  # the bot was down past the whole call: move on silently
    OPEN = "open"  # open its record (the child will be asked after it)
    REMIND = "remind"  # open its record and remind both now


@dataclass(frozen=True)
class DuePlan:
    step: DueStep
    next_call_at: datetime | None  # where the plan moves on to


def due_plan(
    call_at: datetime, agreed: str | None, now: datetime, tz: ZoneInfo, timing: CallTiming
) -> DuePlan:
    """For a call starting within the reminder lead: the plan moves on to the following week's
    call, and the call is reminded if it has not started yet, or only recorded if it has (it is
    still asked about), unless even the answer time is over."""
    if not agreed:
        return DuePlan(DueStep.STOPPED, None)
    following = next_occurrence(WeeklySchedule.parse(agreed), call_at, tz)
    if now > call_at + timing.ask_after + timing.answer_within:
        return DuePlan(DueStep.TOO_LATE, following)
    return DuePlan(DueStep.REMIND if now < call_at else DueStep.OPEN, following)


def reopens(status: CallStatus) -> bool:
    """Whether an occurrence that already has a record opens again as upcoming: only one that
    was cancelled (stopped, then agreed again for the same time); any other was handled."""
    return status == CallStatus.CANCELLED


@dataclass(frozen=True)
class Windows:
    """The moments the tick's three queries read up to, from one `now`."""

    remind_until: datetime  # calls starting by then are reminded
    ask_by: datetime  # calls held by then are asked about
    close_by: datetime  # questions about calls held by then close unanswered


def windows(now: datetime, timing: CallTiming) -> Windows:
    return Windows(
        remind_until=now + timing.reminder_before,
        ask_by=now - timing.ask_after,
        close_by=now - timing.ask_after - timing.answer_within,
    )


def ask_status(child_reachable: bool, callable_now: bool) -> CallStatus:
    """An upcoming call, once held, is asked about; it closes unasked if the child cannot be
    reached or the call is off for now."""
    return CallStatus.ASKED if child_reachable and callable_now else CallStatus.UNANSWERED


def happened_status(happened: bool) -> CallStatus:
    return CallStatus.HAPPENED if happened else CallStatus.MISSED


def summarise(
    child_ids: Sequence[int], records: Iterable[tuple[int, str]]
) -> dict[int, dict[str, int] | None]:
    """Each child's count of calls by outcome from (child id, status) pairs; None for a child
    with no outcome at all."""
    keys = tuple(status.value for status in OUTCOMES)
    counts = {child_id: dict.fromkeys(keys, 0) for child_id in child_ids}
    for child_id, status in records:
        if status in keys:
            counts[child_id][status] += 1
    return {
        child_id: summary if any(summary.values()) else None
        for child_id, summary in counts.items()
    }
