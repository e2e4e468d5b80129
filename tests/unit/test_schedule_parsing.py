"""Check-in scheduling: parsing and validating schedules and blocked windows."""

from datetime import UTC, time

import pytest

from bot.domain.schedule import (
    BlockedTimes,
    TimeWindow,
    WeeklySchedule,
)
from tests.unit.schedule_cases import (
    DEFAULT_BLOCKED,
    DEFAULT_SCHEDULE,
    WEEKDAYS,
)

# --- parsing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "days", "start", "end", "canonical"),
    [
        ("mon-fri 08:00-16:30", WEEKDAYS, time(8), time(16, 30), "mon-fri 08:00-16:30"),
        ("daily 21:00-07:00", frozenset(range(7)), time(21), time(7), "daily 21:00-07:00"),
        ("mon,wed,fri 12:00-13:00", {0, 2, 4}, time(12), time(13), "mon,wed,fri 12:00-13:00"),
        ("sat-sun 9:00-10:00", {5, 6}, time(9), time(10), "sat-sun 09:00-10:00"),
        ("Fri-Mon 22:00-06:00", {4, 5, 6, 0}, time(22), time(6), "mon,fri-sun 22:00-06:00"),
        ("  mon, wed  12:00-13:00 ", {0, 2}, time(12), time(13), "mon,wed 12:00-13:00"),
        ("mon-wed,fri 08:00-09:00", {0, 1, 2, 4}, time(8), time(9), "mon-wed,fri 08:00-09:00"),
        ("sun 00:00-00:00", {6}, time(0), time(0), "sun 00:00-00:00"),
        ("mon-mon 23:59-00:00", {0}, time(23, 59), time(0), "mon 23:59-00:00"),
    ],
)
def test_time_window_parse(spec, days, start, end, canonical):
    window = TimeWindow.parse(spec)
    assert (window.days, window.start, window.end) == (frozenset(days), start, end)
    assert window.format() == canonical
    assert TimeWindow.parse(canonical) == window


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "expected something like 'mon-fri 08:00-16:30'"),
        ("08:00-16:30", "expected something like"),
        ("mon-fri 08:00", "expected a span like 08:00-16:30"),
        ("mon-fri 8-16", "bad time '8'"),
        ("moo 08:00-09:00", "unknown day 'moo'"),
        ("monday 08:00-09:00", "use mon..sun, ranges like mon-fri"),
        ("mon-wed-fri 08:00-09:00", "unknown day 'wed-fri'"),
        ("mon,,fri 08:00-09:00", "unknown day ''"),
        ("mon-fri 24:00-09:00", "bad time '24:00'"),
        ("mon-fri 08:60-09:00", "expected HH:MM from 00:00 to 23:59"),
        ("mon-fri 08:00-09:00:00", "bad time '09:00:00'"),
    ],
)
def test_time_window_parse_rejects(spec, message):
    with pytest.raises(ValueError) as excinfo:
        TimeWindow.parse(spec)
    assert message in str(excinfo.value)


@pytest.mark.parametrize(
    ("spec", "days", "at", "canonical"),
    [
        ("mon,wed,fri 17:30", {0, 2, 4}, time(17, 30), "mon,wed,fri 17:30"),
        ("daily 07:05", set(range(7)), time(7, 5), "daily 07:05"),
        ("MON 17:30", {0}, time(17, 30), "mon 17:30"),
        ("mon-sun 17:30", set(range(7)), time(17, 30), "daily 17:30"),
        ("sun,sat 9:00", {5, 6}, time(9), "sat-sun 09:00"),
    ],
)
def test_weekly_schedule_parse(spec, days, at, canonical):
    schedule = WeeklySchedule.parse(spec)
    assert (schedule.days, schedule.at) == (frozenset(days), at)
    assert schedule.format() == canonical
    assert WeeklySchedule.parse(canonical) == schedule


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("17:30", "expected something like 'mon,wed,fri 17:30'"),
        ("mon 17:30-18:00", "bad time '17:30-18:00'"),
        ("xyz 17:30", "unknown day 'xyz'"),
        ("mon 7pm", "expected HH:MM"),
    ],
)
def test_weekly_schedule_parse_rejects(spec, message):
    with pytest.raises(ValueError) as excinfo:
        WeeklySchedule.parse(spec)
    assert message in str(excinfo.value)


@pytest.mark.parametrize(
    "build",
    [
        lambda: WeeklySchedule(frozenset(), time(17, 30)),
        lambda: WeeklySchedule(frozenset({7}), time(17, 30)),
        lambda: WeeklySchedule(frozenset({0}), time(17, 30, 15)),
        lambda: WeeklySchedule(frozenset({0}), time(17, 30, tzinfo=UTC)),
        lambda: TimeWindow(time(8), time(9), frozenset()),
        lambda: TimeWindow(time(8), time(9), frozenset({-1})),
    ],
)
def test_constructors_validate(build):
    with pytest.raises(ValueError):
        build()


def test_constructors_accept_any_iterable_of_days():
    assert WeeklySchedule([0, 2], time(9)).days == frozenset({0, 2})  # type: ignore[arg-type]


def test_blocked_times_parse_and_format():
    specs = ["mon-fri 08:00-16:30", "daily 21:00-07:00"]
    assert BlockedTimes.parse(specs).format() == specs
    assert BlockedTimes.parse(specs) == DEFAULT_BLOCKED
    assert BlockedTimes.parse([]) == BlockedTimes()
    with pytest.raises(TypeError, match="list of window strings"):
        BlockedTimes.parse("mon-fri 08:00-16:30")
    with pytest.raises(ValueError, match="unknown day 'mo'"):
        BlockedTimes.parse(["mon-fri 08:00-16:30", "mo 09:00-10:00"])


def test_default_schedule():
    assert DEFAULT_SCHEDULE.format() == "mon,wed,fri 17:30"
