"""Rules for keeping parents and children in touch: cadence, back-off and a parent's good hour.

Pure: the current time is always passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.schedule import BlockedTimes, TimeWindow, next_allowed

# Nudge a parent who has sent nothing for this long. Field studies of left-behind children find
# the regularity of contact matters more than its length; weekly is what programs ask parents for.
DEFAULT_CADENCE_DAYS = 7


def adult_blocked_times(quiet: BlockedTimes, work_hours: str | None) -> BlockedTimes:
    """When not to message a parent: night quiet hours plus their own working hours.

    Working hours that, with the night, leave no free minute (a seven-day shift pattern typed
    as "daily 07:00-22:00") are ignored rather than silencing the parent for good.
    """
    if not work_hours:
        return quiet
    combined = BlockedTimes(
        (*quiet.windows, *BlockedTimes.parse(split_windows(work_hours)).windows)
    )
    return quiet if combined.covers_whole_week() else combined


def split_windows(spec: str) -> list[str]:
    """ "mon-fri 08:00-18:00; sat 08:00-12:00" -> one window spec each."""
    return [part.strip() for part in spec.split(";") if part.strip()]


def good_hour(
    now: datetime, tz: ZoneInfo, quiet: BlockedTimes, work_hours: str | None
) -> datetime:
    """The first moment from `now` that is outside the adult's night and working hours."""
    return next_allowed(now, tz, adult_blocked_times(quiet, work_hours))


# --- parents' own settings ------------------------------------------------------------------

MAX_WORK_HOURS_LENGTH = 64  # the column's size; a handful of windows fits


def parse_work_hours(spec: str) -> str:
    """A parent's working hours in canonical form ("mon-sat 08:00-20:00; sun 10:00-14:00").

    Raises ValueError when a window does not parse or the result would not fit.
    """
    windows = [TimeWindow.parse(part) for part in split_windows(spec)]
    if not windows:
        raise ValueError("no window given")
    canonical = "; ".join(window.format() for window in windows)
    if len(canonical) > MAX_WORK_HOURS_LENGTH:
        raise ValueError("too many windows")
    return canonical


def leaves_no_time(quiet: BlockedTimes, work_hours: str) -> bool:
    """Working hours that, with the night, cover the whole week: we could never reach them."""
    combined = (*quiet.windows, *BlockedTimes.parse(split_windows(work_hours)).windows)
    return BlockedTimes(combined).covers_whole_week()


# --- cadence and back-off --------------------------------------------------------------------

# However many nudges went unanswered, a parent still hears from us about once a month: silence
# is exactly when the child needs the bridge, and a monthly word is too rare to feel like nagging.
MAX_NUDGE_INTERVAL = timedelta(days=28)
_MAX_DOUBLINGS = 8  # 2**8 weeks is far past the cap; keeps the arithmetic small


def nudge_interval(cadence_days: int, unanswered: int) -> timedelta:
    """How long to wait before the next nudge, when `unanswered` nudges (the one just sent
    included) have had no reply: cadence x 2**unanswered, capped at four weeks.

    Why back off: a parent who let one gentle reminder pass is rarely helped by the same
    reminder a week later; repeating it turns it into nagging, and a nagged parent mutes or
    blocks the bot, which also cuts the child's line to them. Doubling keeps trying, more and
    more gently. A cadence set longer than the cap is kept as it is.
    """
    cadence = timedelta(days=max(1, cadence_days))
    waited = cadence * 2 ** min(max(0, unanswered), _MAX_DOUBLINGS)
    return min(waited, max(MAX_NUDGE_INTERVAL, cadence))


def next_nudge_after_contact(contact_at: datetime, cadence_days: int) -> datetime:
    """A parent who just got in touch is not nudged before a whole cadence has passed."""
    return contact_at + timedelta(days=max(1, cadence_days))


def next_nudge_after_sent(sent_at: datetime, cadence_days: int, unanswered: int) -> datetime:
    return sent_at + nudge_interval(cadence_days, unanswered)


# --- conversation starters --------------------------------------------------------------------

# Regular nudges within this many days after a departure use the departure starters: loneliness
# is highest in the first week or two after a parent leaves again.
DEPARTURE_WINDOW_DAYS = 14


class DayKind(StrEnum):
    SCHOOL_WEEK = "school_week"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"


def day_kind(day: date, holidays: Sequence[tuple[date, date]]) -> DayKind:
    """A school holiday (inclusive ranges), a weekend, or a school day."""
    if any(first <= day <= last for first, last in holidays):
        return DayKind.HOLIDAY
    return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.SCHOOL_WEEK


@dataclass(frozen=True)
class ChildFacts:
    """What the program itself knows about a child's recent days, to start a conversation.

    Never what the child said: no words, no answers, no scores, no mood.
    """

    checkins_answered: int  # check-ins the child finished in the last seven days
    day: DayKind
    days_since_departure: int | None = None  # a parent left this many days ago (0 = today)
    activities_done: int = 0  # peer activities in the last seven days (once they exist)


AFTER_DEPARTURE = "after_departure"


def starter_topics(facts: ChildFacts) -> list[str]:
    """Which kinds of starters fit, most specific first; "general" always fits."""
    since = facts.days_since_departure
    if since is not None and 0 <= since <= DEPARTURE_WINDOW_DAYS:
        return [AFTER_DEPARTURE]
    topics = []
    if facts.activities_done:
        topics.append("activities")
    if facts.checkins_answered:
        topics.append("checkins")
    topics += [facts.day.value, "general"]
    return topics


def starter_pool(topics: Sequence[str], starters: Mapping[str, Sequence[str]]) -> list[str]:
    """Starter keys of the fitting topics, taken in turn from each (so the subject varies)."""
    lists = [list(starters.get(topic, ())) for topic in topics]
    pool: list[str] = []
    for turn in range(max((len(keys) for keys in lists), default=0)):
        pool += [keys[turn] for keys in lists if turn < len(keys)]
    return pool


def pick_starter(pool: Sequence[str], last: str | None, seed: int) -> str | None:
    """The next starter after the one sent last, so a parent never gets the same one twice in a
    row (unless only one fits); `seed` (e.g. plan id + day) picks where a new pool starts."""
    if not pool:
        return None
    if last in pool:
        return pool[(pool.index(last) + 1) % len(pool)]
    return pool[seed % len(pool)]
