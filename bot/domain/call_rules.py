"""Rules for an agreed weekly call: one day and a time on the child's clock.

Pure: the current time is always passed in. A call time is kept as a WeeklySchedule with a single
day; buttons carry it in a compact code ("61930" = Sunday 19:30) so an answer to an older
proposal can be told apart from the one still open.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.schedule import DAY_NAMES, BlockedTimes, WeeklySchedule, next_allowed

_CODE = re.compile(r"^([0-6])([01]\d|2[0-3])([0-5]\d)$")


class CallStatus(StrEnum):
    UPCOMING = "upcoming"  # both reminded; the child will be asked after it
    ASKED = "asked"  # the child was asked whether it happened
    HAPPENED = "happened"
    MISSED = "missed"  # the child says it did not happen: the volunteer sees it
    UNANSWERED = "unanswered"  # the child did not say within the answer time
    CANCELLED = "cancelled"  # the parent stopped or moved the call before it came


def parse_call_time(day: str, at: str) -> WeeklySchedule:
    """`sun` `19:30` -> a weekly schedule; ValueError unless it names exactly one day."""
    schedule = WeeklySchedule.parse(f"{day} {at}")
    if len(schedule.days) != 1 or day.strip().lower() not in DAY_NAMES:
        raise ValueError(f"a call needs one day (mon..sun), got {day!r}")
    return schedule


def call_day(schedule: WeeklySchedule) -> int:
    return next(iter(schedule.days))


def is_blocked(schedule: WeeklySchedule, blocked: BlockedTimes) -> bool:
    """Whether the call would fall in the child's school or night hours."""
    return blocked.covers(call_day(schedule), schedule.at)


def encode_call_time(schedule: WeeklySchedule) -> str:
    return f"{call_day(schedule)}{schedule.at:%H%M}"


def decode_call_time(code: str) -> WeeklySchedule | None:
    match = _CODE.match(code)
    if match is None:
        return None
    return WeeklySchedule(frozenset({int(match[1])}), time(int(match[2]), int(match[3])))


def child_reminder_at(
    call_at: datetime, before: timedelta, tz: ZoneInfo, blocked: BlockedTimes
) -> datetime | None:
    """When to remind the child: `before` the call, or when school or the night ends if that is
    later; None when no allowed moment comes before the call itself."""
    moment = next_allowed(call_at - before, tz, blocked)
    return moment if moment <= call_at else None
