"""Planning the fortnight after a departure: which follow-ups a visit brings, and when.

When a parent leaves again (the last day of a visit) loneliness often peaks, so the child gets
extra light check-ins and each parent extra nudges on the days of `dialogs/departures.yaml`.
Pure: the current time, the timezones and the blocked times are passed in; the service stores
what is planned here and carries it out when due.

Telling the same stay again must never double anything, and neither must correcting its dates:
a corrected visit drops its pending follow-ups and is planned afresh, and a follow-up is new
only when that person has none of that kind at the same moment or on the same local day (so one
already done on a day is not repeated by the correction).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.contact import good_hour
from bot.domain.schedule import BlockedTimes, next_allowed

MAX_VISIT_DAYS = 183  # half a year at home is a move back, not a visit
MAX_DAYS_AWAY = 366  # dates further than a year from today are a typing slip


class FollowUpKind(StrEnum):
    CHECKIN = "checkin"  # an extra light check-in for the child
    NUDGE = "nudge"  # an extra nudge for a parent


@dataclass(frozen=True)
class FollowUpSchedule:
    """Days after a departure day (day 0) for the child's extra check-ins and parent's nudges."""

    child_days: tuple[int, ...]
    parent_days: tuple[int, ...]
    parent_hour: int  # parents' extra nudges are looked for from this local hour on


@dataclass(frozen=True)
class PlannedFollowUp:
    """One follow-up to store: for whom, what, the schedule's day it is for, and when (UTC)."""

    person_id: int
    kind: FollowUpKind
    day: date  # on that person's clock; a late good hour may put `due_at` past its midnight
    due_at: datetime


@dataclass(frozen=True)
class KnownFollowUp:
    """A follow-up already stored for the visit, as the dedupe needs it."""

    person_id: int
    kind: str
    due_at: datetime
    tz: ZoneInfo  # that person's clock, to tell which day it fell on


class VisitChange(StrEnum):
    NEW = "new"  # no stay of the child overlaps these dates
    SAME = "same"  # the same stay told again: nothing to drop
    CORRECTED = "corrected"  # the same stay with other dates: pending follow-ups are replanned


def visit_problem(starts_on: date, ends_on: date, today: date) -> str | None:
    """Why these visit dates cannot be right (a reason key), or None when they are fine."""
    if ends_on < starts_on:
        return "visit_order"
    if (ends_on - starts_on).days > MAX_VISIT_DAYS:
        return "visit_too_long"
    if abs((ends_on - today).days) > MAX_DAYS_AWAY:
        return "visit_too_far"
    return None


def visit_change(recorded: tuple[date, date] | None, told: tuple[date, date]) -> VisitChange:
    """What telling these dates does to the overlapping stay already recorded (if any)."""
    if recorded is None:
        return VisitChange.NEW
    return VisitChange.SAME if recorded == told else VisitChange.CORRECTED


def follow_up_days(ends_on: date, days_after: Sequence[int]) -> list[date]:
    """The calendar days of a departure's follow-ups, in order and without repeats."""
    return [ends_on + timedelta(days=n) for n in sorted(set(days_after)) if n >= 0]


def child_follow_ups(
    child_id: int,
    ends_on: date,
    schedule: FollowUpSchedule,
    at: time,
    tz: ZoneInfo,
    blocked: BlockedTimes,
    now: datetime,
) -> list[PlannedFollowUp]:
    """Extra check-ins at the child's usual check-in time on each day, out of school and night.

    Days already past are left out: a visit recorded late gets only what is still ahead.
    """
    today = now.astimezone(tz).date()
    return [
        PlannedFollowUp(
            child_id,
            FollowUpKind.CHECKIN,
            day,
            next_allowed(datetime.combine(day, at, tzinfo=tz), tz, blocked),
        )
        for day in follow_up_days(ends_on, schedule.child_days)
        if day >= today
    ]


def parent_follow_up_due(
    day: date, hour: int, tz: ZoneInfo, quiet: BlockedTimes, work_hours: str | None
) -> datetime:
    """A parent's extra nudge: the first good hour from the schedule's hour on that day."""
    return good_hour(datetime.combine(day, time(hour), tzinfo=tz), tz, quiet, work_hours)


def parent_follow_ups(
    parent_id: int,
    ends_on: date,
    schedule: FollowUpSchedule,
    tz: ZoneInfo,
    quiet: BlockedTimes,
    work_hours: str | None,
    now: datetime,
) -> list[PlannedFollowUp]:
    """A parent's extra nudges still ahead on their own clock."""
    today = now.astimezone(tz).date()
    return [
        PlannedFollowUp(
            parent_id,
            FollowUpKind.NUDGE,
            day,
            parent_follow_up_due(day, schedule.parent_hour, tz, quiet, work_hours),
        )
        for day in follow_up_days(ends_on, schedule.parent_days)
        if day >= today
    ]


def adults_to_nudge(known: Iterable[KnownFollowUp], *parent_ids: int | None) -> set[int]:
    """The parents whose nudges a visit keeps: those already nudged for it and the parents who
    told it. Empty means a coordinator or a carer told it: then every parent of the child."""
    adults = {f.person_id for f in known if f.kind == FollowUpKind.NUDGE}
    return adults | {pid for pid in parent_ids if pid is not None}


def not_yet_planned(
    planned: Iterable[PlannedFollowUp], known: Iterable[KnownFollowUp]
) -> list[PlannedFollowUp]:
    """The planned follow-ups to add: none where that person already has one of that kind at
    the same moment or on the same day on their clock (nor twice among the planned ones)."""
    have: set[tuple[int, str, object]] = set()
    for follow_up in known:
        day = follow_up.due_at.astimezone(follow_up.tz).date()
        have |= {
            (follow_up.person_id, follow_up.kind, follow_up.due_at),
            (follow_up.person_id, follow_up.kind, day),
        }
    added = []
    for follow_up in planned:
        keys = {
            (follow_up.person_id, follow_up.kind, follow_up.due_at),
            (follow_up.person_id, follow_up.kind, follow_up.day),
        }
        if not keys & have:
            added.append(follow_up)
            have |= keys
    return added


def schedule_day(ends_on: date, parent_days: Sequence[int], moved_to: date) -> date:
    """The schedule's day a pending nudge was for, from the local day it is now due on (a late
    good hour may have pushed it past midnight): the latest planned day not after it."""
    planned = follow_up_days(ends_on, parent_days)
    return max((d for d in planned if d <= moved_to), default=moved_to)
