"""Lifecycle rules of one check-in: what a tap means, when to remind, how it ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.questionnaire import Questionnaire
from bot.domain.schedule import BlockedTimes, next_allowed

SKIP = -1  # the value a "Skip" button carries on an optional step


class CheckinStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    MISSED = "missed"  # expired with no answer at all
    INCOMPLETE = "incomplete"  # expired part-way; the answers given are kept
    CANCELLED = "cancelled"  # paused or consent withdrawn before it was answered


class CheckinKind(StrEnum):
    SCHEDULED = "scheduled"
    ADHOC = "adhoc"
    FOLLOW_UP = "follow_up"  # an extra one in the days after a parent left again


DONE_STEP = "done"
# Which shorter form of the questionnaire a kind of check-in asks (None: all of it).
VARIANT_OF_KIND = {CheckinKind.FOLLOW_UP.value: "light"}


def variant_of(kind: str) -> str | None:
    return VARIANT_OF_KIND.get(kind)


class TapVerdict(StrEnum):
    ACCEPT = "accept"
    ALREADY = "already"  # a double tap or an old copy of a step already answered
    CLOSED = "closed"  # the check-in is finished or expired
    INVALID = "invalid"  # a value or step the questionnaire does not have


@dataclass(frozen=True)
class CheckinView:
    status: str
    step: str
    expires_at: datetime


def judge_tap(
    checkin: CheckinView, step: str, value: int, questionnaire: Questionnaire, now: datetime
) -> TapVerdict:
    """Decide what a button press on a check-in means, before anything is stored."""
    if not questionnaire.has_step(step):
        return TapVerdict.INVALID
    definition = questionnaire.step(step)
    valid = definition.accepts(value) or (definition.optional and value == SKIP)
    if not valid:
        return TapVerdict.INVALID
    if checkin.status != CheckinStatus.OPEN or now >= checkin.expires_at:
        return TapVerdict.CLOSED
    if checkin.step != step:
        return TapVerdict.ALREADY
    return TapVerdict.ACCEPT


def reminder_time(
    due_at: datetime,
    expires_at: datetime,
    after: timedelta,
    tz: ZoneInfo,
    blocked: BlockedTimes,
) -> datetime | None:
    """When to send the one gentle reminder, or None if no allowed moment is left before expiry.

    A reminder within the last half hour of a check-in would only frustrate, so it is dropped.
    """
    moment = next_allowed(due_at + after, tz, blocked)
    if moment >= expires_at - timedelta(minutes=30):
        return None
    return moment


def end_status(answered_steps: int) -> CheckinStatus:
    return CheckinStatus.INCOMPLETE if answered_steps else CheckinStatus.MISSED
