"""Weekly check-in schedules and blocked times (school, night), safe across timezones and DST.

Pure: the current time is always passed in. Weekdays are Monday=0 .. Sunday=6 as in
``datetime.weekday()``. Rules apply to the local wall clock; every returned datetime is UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import groupby
from zoneinfo import ZoneInfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_HELP = "use mon..sun, ranges like mon-fri, lists like mon,wed,fri, or daily"
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")
_WEEK = 7 * 24 * 60  # minutes
_SEARCH_LIMIT = timedelta(days=15)  # a free minute recurs weekly; a DST gap may eat one


def _parse_day(name: str, spec: str) -> int:
    if name not in DAY_NAMES:
        raise ValueError(f"unknown day {name!r} in {spec!r}; {_DAY_HELP}")
    return DAY_NAMES.index(name)


def _parse_days(text: str, spec: str) -> frozenset[int]:
    days: set[int] = set()
    for token in text.lower().replace(" ", "").split(","):
        first, dash, last = ("mon-sun" if token == "daily" else token).partition("-")
        start = _parse_day(first, spec)
        end = _parse_day(last, spec) if dash else start  # ranges may wrap: fri-mon
        days.update((start + i) % 7 for i in range((end - start) % 7 + 1))
    return frozenset(days)


def _format_days(days: frozenset[int]) -> str:
    if len(days) == 7:
        return "daily"
    runs = [
        [d for _, d in run] for _, run in groupby(enumerate(sorted(days)), lambda p: p[1] - p[0])
    ]
    names = [DAY_NAMES[r[0]] + (f"-{DAY_NAMES[r[-1]]}" if len(r) > 1 else "") for r in runs]
    return ",".join(names)


def _parse_time(text: str, spec: str) -> time:
    match = _TIME_RE.fullmatch(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"bad time {text!r} in {spec!r}; expected HH:MM from 00:00 to 23:59")
    return time(int(match[1]), int(match[2]))


def _split(spec: str, example: str) -> tuple[str, str]:
    parts = spec.strip().rsplit(None, 1)
    if len(parts) != 2:
        raise ValueError(f"expected something like {example!r}, got {spec!r}")
    return parts[0], parts[1]


def _check(days: Iterable[int], *times: time) -> frozenset[int]:
    """Validated days as a frozenset, so callers may pass any iterable of weekday numbers."""
    days = frozenset(days)
    if not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
        raise ValueError(
            f"need weekdays from 0 (Monday) to 6 (Sunday), got {sorted(days, key=str)}"
        )
    # Whole minutes keep parse(format(x)) == x; naive because the tz comes with the person.
    for value in times:
        if value.tzinfo is not None or value.second or value.microsecond:
            raise ValueError(f"times must be naive whole minutes, got {value!r}")
    return days


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment!r}")
    return moment.astimezone(UTC)


def _wall(day: date, at: time, tz: tzinfo | None) -> datetime:
    """fold=0 puts a gap time forward by the gap and picks the first of an ambiguous pair."""
    return datetime.combine(day, at.replace(fold=0), tzinfo=tz)


@dataclass(frozen=True)
class TimeWindow:
    """A weekly span; ``days`` are the days it starts on, and end <= start crosses midnight."""

    start: time
    end: time
    days: frozenset[int]

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", _check(self.days, self.start, self.end))

    @classmethod
    def parse(cls, spec: str) -> TimeWindow:
        days_text, span = _split(spec, "mon-fri 08:00-16:30")
        start, dash, end = span.partition("-")
        if not dash:
            raise ValueError(f"expected a span like 08:00-16:30 in {spec!r}, got {span!r}")
        return cls(_parse_time(start, spec), _parse_time(end, spec), _parse_days(days_text, spec))

    def format(self) -> str:
        return f"{_format_days(self.days)} {self.start:%H:%M}-{self.end:%H:%M}"

    def _end_day_offset(self, weekday: int, at: time) -> int | None:
        """Days from the given local date to this window's end, or None if outside it."""
        if self.start < self.end:
            return 0 if weekday in self.days and self.start <= at < self.end else None
        if weekday in self.days and at >= self.start:
            return 1
        if (weekday - 1) % 7 in self.days and at < self.end:
            return 0
        return None

    def covers(self, weekday: int, at: time) -> bool:
        """Whether a wall-clock (weekday, time) is inside; start inclusive, end exclusive."""
        return self._end_day_offset(weekday, at) is not None

    def end_after(self, local: datetime) -> datetime | None:
        """UTC end of the window holding aware ``local``, or None; never earlier than it."""
        offset = self._end_day_offset(local.weekday(), local.time())
        if offset is None:
            return None
        wall = _wall(local.date() + timedelta(days=offset), self.end, local.tzinfo)
        first = wall.astimezone(UTC)  # fold=1 only if fold=0 steps back into a repeated hour
        return first if first > local else wall.replace(fold=1).astimezone(UTC)


@dataclass(frozen=True)
class WeeklySchedule:
    """The same local time on some weekdays, e.g. check-ins Mon/Wed/Fri after school."""

    days: frozenset[int]
    at: time

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", _check(self.days, self.at))

    @classmethod
    def parse(cls, spec: str) -> WeeklySchedule:
        days_text, at = _split(spec, "mon,wed,fri 17:30")
        return cls(_parse_days(days_text, spec), _parse_time(at, spec))

    def format(self) -> str:
        return f"{_format_days(self.days)} {self.at:%H:%M}"


@dataclass(frozen=True)
class BlockedTimes:
    """Local windows in which nobody should be messaged (school hours, night quiet hours)."""

    windows: tuple[TimeWindow, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "windows", tuple(self.windows))

    @classmethod
    def parse(cls, specs: Iterable[str]) -> BlockedTimes:
        if isinstance(specs, str):
            raise TypeError("BlockedTimes.parse takes a list of window strings, not one string")
        return cls(tuple(TimeWindow.parse(spec) for spec in specs))

    def format(self) -> list[str]:
        return [window.format() for window in self.windows]

    def covers(self, weekday: int, at: time) -> bool:
        return any(w.covers(weekday, at) for w in self.windows)

    def is_blocked(self, local: datetime) -> bool:
        """Judged on ``local``'s own wall clock, so pass it already converted to the tz."""
        _utc(local, "local")
        return self.covers(local.weekday(), local.time())

    def covers_whole_week(self) -> bool:
        """True if no wall-clock minute is free: such a config can never deliver anything."""
        spans: list[tuple[int, int]] = []
        for w in self.windows:
            begin, stop = (t.hour * 60 + t.minute for t in (w.start, w.end))
            length = (stop - begin) % 1440 or 1440
            for day in w.days:  # a Sunday-night window also covers early Monday: shift a copy
                start = day * 1440 + begin
                spans += [(start, start + length), (start - _WEEK, start + length - _WEEK)]
        reached = 0
        for start, end in sorted(spans):
            if start > reached:
                return False
            reached = max(reached, end)
        return reached >= _WEEK


def next_occurrence(schedule: WeeklySchedule, after: datetime, tz: ZoneInfo) -> datetime:
    """First scheduled moment strictly after ``after``, so a job firing on time won't repeat."""
    after_utc = _utc(after, "after")
    today = after_utc.astimezone(tz).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if day.weekday() in schedule.days:
            candidate = _wall(day, schedule.at, tz).astimezone(UTC)
            if candidate > after_utc:
                return candidate
    raise AssertionError("unreachable: a non-empty weekly schedule recurs within 8 days")


def next_allowed(moment: datetime, tz: ZoneInfo, blocked: BlockedTimes) -> datetime:
    """``moment`` pushed past every blocked window it lands in (windows can chain)."""
    if blocked.covers_whole_week():
        raise ValueError(f"blocked times {blocked.format()} leave no minute of the week free")
    start = current = _utc(moment, "moment")
    while True:
        local = current.astimezone(tz)
        ends = [end for w in blocked.windows if (end := w.end_after(local)) is not None]
        if not ends:
            return current
        pushed = max(ends)
        if pushed <= current or pushed - start > _SEARCH_LIMIT:
            raise ValueError(f"no allowed time within {_SEARCH_LIMIT.days} days in {tz}")
        current = pushed


def is_allowed(moment: datetime, tz: ZoneInfo, blocked: BlockedTimes) -> bool:
    return not blocked.is_blocked(_utc(moment, "moment").astimezone(tz))


def schedule_conflicts(schedule: WeeklySchedule, blocked: BlockedTimes) -> list[int]:
    """Weekdays whose scheduled wall time is blocked, to tell a coordinator before saving."""
    return [day for day in sorted(schedule.days) if blocked.covers(day, schedule.at)]


def next_checkin(
    schedule: WeeklySchedule, after: datetime, tz: ZoneInfo, blocked: BlockedTimes
) -> datetime:
    """The next scheduled time, pushed out of blocked windows."""
    return next_allowed(next_occurrence(schedule, after, tz), tz, blocked)


def local_day_bounds(moment: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of the local calendar day in UTC; 23 or 25 hours long on DST days."""
    day = _utc(moment, "moment").astimezone(tz).date()
    start = _wall(day, time(), tz).astimezone(UTC)
    return start, _wall(day + timedelta(days=1), time(), tz).astimezone(UTC)
