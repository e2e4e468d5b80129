"""Check-in scheduling: next occurrences, DST edges, blocked windows, and cross-timezone
consistency (parsing: test_schedule_parsing.py)."""

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.domain.schedule import (
    BlockedTimes,
    WeeklySchedule,
    is_allowed,
    local_day_bounds,
    next_allowed,
    next_checkin,
    next_occurrence,
    schedule_conflicts,
)
from tests.unit.schedule_cases import (
    BERLIN,
    DEFAULT_BLOCKED,
    LONDON,
    NEW_YORK,
    SHANGHAI,
    sh,
    utc,
)

# --- next_occurrence ------------------------------------------------------------------------

MWF = WeeklySchedule.parse("mon,wed,fri 17:30")  # 17:30 Shanghai is 09:30 UTC


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (sh(2024, 1, 1, 10, 0), utc(2024, 1, 1, 9, 30)),  # later the same Monday
        (sh(2024, 1, 1, 17, 29, 59, 999999), utc(2024, 1, 1, 9, 30)),
        (sh(2024, 1, 1, 17, 30), utc(2024, 1, 3, 9, 30)),  # exactly on time: strictly after
        (utc(2024, 1, 1, 9, 30), utc(2024, 1, 3, 9, 30)),  # same instant given in UTC
        (sh(2024, 1, 2, 3, 0), utc(2024, 1, 3, 9, 30)),
        (utc(2024, 1, 2, 20, 0), utc(2024, 1, 3, 9, 30)),  # UTC Tuesday is Shanghai Wednesday
        (sh(2024, 1, 5, 18, 0), utc(2024, 1, 8, 9, 30)),  # Friday evening -> next Monday
        (sh(2024, 1, 7, 23, 59), utc(2024, 1, 8, 9, 30)),  # across the week boundary
        (sh(2023, 12, 31, 12, 0), utc(2024, 1, 1, 9, 30)),  # across the year boundary
    ],
)
def test_next_occurrence_shanghai(after, expected):
    result = next_occurrence(MWF, after, SHANGHAI)
    assert result == expected
    assert result.tzinfo is UTC


def test_next_occurrence_single_day_a_week_later():
    sunday = WeeklySchedule.parse("sun 10:00")
    assert next_occurrence(sunday, sh(2024, 1, 7, 10, 0), SHANGHAI) == utc(2024, 1, 14, 2, 0)


@pytest.mark.parametrize(
    ("spec", "tz", "after", "expected", "local_hm"),
    [
        # Berlin springs forward 2024-03-31 02:00 CET -> 03:00 CEST.
        ("sun 02:30", BERLIN, utc(2024, 3, 30, 12), utc(2024, 3, 31, 1, 30), (3, 30)),
        ("daily 17:30", BERLIN, utc(2024, 3, 30, 12), utc(2024, 3, 30, 16, 30), (17, 30)),
        ("daily 17:30", BERLIN, utc(2024, 3, 30, 17), utc(2024, 3, 31, 15, 30), (17, 30)),
        # Berlin falls back 2024-10-27 03:00 CEST -> 02:00 CET: 02:30 happens twice.
        ("sun 02:30", BERLIN, utc(2024, 10, 26, 12), utc(2024, 10, 27, 0, 30), (2, 30)),
        ("sun 02:30", BERLIN, utc(2024, 10, 27, 0, 30), utc(2024, 11, 3, 1, 30), (2, 30)),
        ("daily 17:30", BERLIN, utc(2024, 10, 26, 16), utc(2024, 10, 27, 16, 30), (17, 30)),
        # New York springs forward 2024-03-10 02:00 EST -> 03:00 EDT.
        ("sun 02:30", NEW_YORK, utc(2024, 3, 9), utc(2024, 3, 10, 7, 30), (3, 30)),
        ("daily 09:00", NEW_YORK, utc(2024, 3, 9, 15), utc(2024, 3, 10, 13, 0), (9, 0)),
        # New York falls back 2024-11-03 02:00 EDT -> 01:00 EST: 01:30 happens twice.
        ("sun 01:30", NEW_YORK, utc(2024, 11, 2, 12), utc(2024, 11, 3, 5, 30), (1, 30)),
        ("sun 01:30", NEW_YORK, utc(2024, 11, 3, 5, 30), utc(2024, 11, 10, 6, 30), (1, 30)),
        ("sun 01:30", NEW_YORK, utc(2024, 11, 3, 6, 0), utc(2024, 11, 10, 6, 30), (1, 30)),
        ("daily 09:00", NEW_YORK, utc(2024, 11, 2, 15), utc(2024, 11, 3, 14, 0), (9, 0)),
    ],
)
def test_next_occurrence_across_dst(spec, tz, after, expected, local_hm):
    result = next_occurrence(WeeklySchedule.parse(spec), after, tz)
    assert result == expected
    local = result.astimezone(tz)
    assert (local.hour, local.minute) == local_hm


def test_next_occurrence_shanghai_has_no_dst():
    daily = WeeklySchedule.parse("daily 17:30")
    after = sh(2024, 1, 1, 18, 0)
    for _ in range(366):
        after = next_occurrence(daily, after, SHANGHAI)
        assert (after.hour, after.minute) == (9, 30)


def test_naive_datetimes_are_rejected():
    naive = datetime(2024, 1, 1, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        next_occurrence(MWF, naive, SHANGHAI)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_allowed(naive, SHANGHAI, DEFAULT_BLOCKED)
    with pytest.raises(ValueError, match="timezone-aware"):
        DEFAULT_BLOCKED.is_blocked(naive)


# --- next_allowed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (sh(2024, 1, 1, 10, 0), sh(2024, 1, 1, 16, 30)),  # school hours
        (sh(2024, 1, 1, 8, 0), sh(2024, 1, 1, 16, 30)),  # start is inclusive
        (sh(2024, 1, 1, 16, 30), sh(2024, 1, 1, 16, 30)),  # end is exclusive
        (sh(2024, 1, 1, 7, 59), sh(2024, 1, 1, 7, 59)),  # between quiet hours and school
        (sh(2024, 1, 1, 17, 0), sh(2024, 1, 1, 17, 0)),  # after school
        (sh(2024, 1, 1, 22, 0), sh(2024, 1, 2, 7, 0)),  # quiet hours before midnight
        (sh(2024, 1, 2, 2, 0), sh(2024, 1, 2, 7, 0)),  # quiet hours after midnight
        (sh(2024, 1, 1, 0, 0), sh(2024, 1, 1, 7, 0)),  # Monday early: Sunday's window
        (sh(2024, 1, 6, 10, 0), sh(2024, 1, 6, 10, 0)),  # no school on Saturday
        (sh(2024, 1, 6, 23, 0), sh(2024, 1, 7, 7, 0)),
        (utc(2024, 1, 1, 2, 0), sh(2024, 1, 1, 16, 30)),  # input in another tz
    ],
)
def test_next_allowed_default_blocks(moment, expected):
    result = next_allowed(moment, SHANGHAI, DEFAULT_BLOCKED)
    assert result == expected
    assert result.tzinfo is UTC
    assert is_allowed(result, SHANGHAI, DEFAULT_BLOCKED)
    assert is_allowed(moment, SHANGHAI, DEFAULT_BLOCKED) == (result == moment)


@pytest.mark.parametrize(
    ("specs", "moment", "expected"),
    [
        # School ends 16:30 but an afternoon block runs until 17:00.
        (["mon-fri 08:00-16:30", "mon-fri 16:00-17:00"], sh(2024, 1, 1, 10), sh(2024, 1, 1, 17)),
        # Evening block runs into quiet hours, which run into the next morning.
        (["daily 20:00-21:30", "daily 21:00-07:00"], sh(2024, 1, 1, 20, 30), sh(2024, 1, 2, 7)),
        # Quiet hours end straight into school: 06:00 -> 07:00 -> 16:30.
        (["daily 21:00-07:00", "mon-fri 07:00-16:30"], sh(2024, 1, 1, 6), sh(2024, 1, 1, 16, 30)),
        # Overlapping windows: the furthest end wins, then the chain continues.
        (
            ["mon 08:00-12:00", "mon 09:00-18:00", "mon 17:00-19:00"],
            sh(2024, 1, 1, 9, 30),
            sh(2024, 1, 1, 19),
        ),
        # Only Sunday 23:59 is free: a Monday message waits almost a week.
        (["daily 00:00-23:59", "mon-sat 23:59-00:00"], sh(2024, 1, 1, 12), sh(2024, 1, 7, 23, 59)),
        ([], sh(2024, 1, 1, 3), sh(2024, 1, 1, 3)),
    ],
)
def test_next_allowed_chained_windows(specs, moment, expected):
    assert next_allowed(moment, SHANGHAI, BlockedTimes.parse(specs)) == expected


@pytest.mark.parametrize(
    "specs",
    [
        ["daily 00:00-00:00"],
        ["daily 12:00-12:00"],
        ["daily 00:00-12:00", "daily 12:00-00:00"],
        ["mon-fri 00:00-00:00", "fri 23:00-23:00", "sat-sun 00:00-00:00"],
        ["daily 18:00-09:00", "daily 08:00-19:00"],
    ],
)
def test_whole_week_blocked_is_an_error(specs):
    blocked = BlockedTimes.parse(specs)
    assert blocked.covers_whole_week()
    with pytest.raises(ValueError, match="leave no minute of the week free"):
        next_allowed(sh(2024, 1, 1, 12), SHANGHAI, blocked)


@pytest.mark.parametrize(
    "specs",
    [
        [],
        ["mon-fri 08:00-16:30", "daily 21:00-07:00"],
        ["daily 00:00-23:59"],
        ["mon-sat 00:00-00:00", "sun 00:01-00:00"],  # free: Sunday 00:00-00:01
    ],
)
def test_partly_blocked_week_is_not_whole(specs):
    assert not BlockedTimes.parse(specs).covers_whole_week()


@pytest.mark.parametrize(
    ("tz", "specs", "moment", "expected"),
    [
        # Quiet hours across the spring-forward night: ends 07:00 CEST.
        (BERLIN, ["daily 21:00-07:00"], utc(2024, 3, 30, 21), utc(2024, 3, 31, 5)),
        # ...and across the fall-back night: ends 07:00 CET.
        (BERLIN, ["daily 21:00-07:00"], utc(2024, 10, 26, 20), utc(2024, 10, 27, 6)),
        # A window ending at nonexistent 02:30 ends at 03:30 CEST.
        (BERLIN, ["sun 01:00-02:30"], utc(2024, 3, 31, 0, 30), utc(2024, 3, 31, 1, 30)),
        # Inside the repeated hour (second 02:10): ending at the first 02:15 would go back.
        (BERLIN, ["sun 01:00-02:15"], utc(2024, 10, 27, 1, 10), utc(2024, 10, 27, 1, 15)),
        (BERLIN, ["sun 01:00-02:15"], utc(2024, 10, 27, 0, 10), utc(2024, 10, 27, 0, 15)),
        (NEW_YORK, ["daily 21:00-07:00"], utc(2024, 11, 3, 3), utc(2024, 11, 3, 12)),
    ],
)
def test_next_allowed_across_dst(tz, specs, moment, expected):
    result = next_allowed(moment, tz, BlockedTimes.parse(specs))
    assert result == expected
    assert result > moment


# --- conflicts and check-ins ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "specs", "conflicts"),
    [
        ("mon,wed,fri 17:30", ["mon-fri 08:00-16:30", "daily 21:00-07:00"], []),
        ("daily 17:00", ["mon-fri 08:00-17:30", "daily 21:00-07:00"], [0, 1, 2, 3, 4]),
        ("mon,sat 06:00", ["daily 21:00-07:00"], [0, 5]),
        ("sun 06:00", ["sat 21:00-07:00"], [6]),  # window started Saturday night
        ("sat 06:00", ["sat 21:00-07:00"], []),  # ...and not the night before
        ("mon 16:30", ["mon-fri 08:00-16:30"], []),  # end exclusive
        ("mon 08:00", ["mon-fri 08:00-16:30"], [0]),  # start inclusive
    ],
)
def test_schedule_conflicts(schedule, specs, conflicts):
    assert (
        schedule_conflicts(WeeklySchedule.parse(schedule), BlockedTimes.parse(specs)) == conflicts
    )


@pytest.mark.parametrize(
    ("schedule", "after", "expected"),
    [
        ("mon,wed,fri 17:30", sh(2024, 1, 1, 12), sh(2024, 1, 1, 17, 30)),
        ("mon 16:00", sh(2024, 1, 1, 12), sh(2024, 1, 1, 16, 30)),  # pushed out of school
        ("fri 22:00", sh(2024, 1, 1, 12), sh(2024, 1, 6, 7, 0)),  # pushed to Saturday morning
        ("sun 22:00", sh(2024, 1, 1, 12), sh(2024, 1, 8, 7, 0)),  # Monday before school
    ],
)
def test_next_checkin(schedule, after, expected):
    parsed = WeeklySchedule.parse(schedule)
    assert next_checkin(parsed, after, SHANGHAI, DEFAULT_BLOCKED) == expected


# --- parent abroad vs child at home ---------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "child_local", "parent_local"),
    [
        (utc(2024, 1, 5, 12), (17, 30), (9, 30)),  # winter: London on GMT
        (utc(2024, 7, 5, 12), (17, 30), (10, 30)),  # summer: London on BST
    ],
)
def test_parent_in_london_and_child_in_shanghai_agree(after, child_local, parent_local):
    child_time = next_checkin(MWF, after, SHANGHAI, DEFAULT_BLOCKED)
    for view in (after, after.astimezone(SHANGHAI), after.astimezone(LONDON)):
        assert next_checkin(MWF, view, SHANGHAI, DEFAULT_BLOCKED) == child_time
    as_child = child_time.astimezone(SHANGHAI)
    as_parent = child_time.astimezone(LONDON)
    assert (as_child.hour, as_child.minute) == child_local
    assert (as_parent.hour, as_parent.minute) == parent_local
    # A parent nudge set at that London wall time lands on the very same instant.
    nudge = WeeklySchedule(frozenset({as_parent.weekday()}), time(*parent_local))
    assert next_occurrence(nudge, after, LONDON) == child_time


@pytest.mark.parametrize(
    ("moment", "tz", "start", "hours"),
    [
        (utc(2024, 1, 8, 9, 30), SHANGHAI, utc(2024, 1, 7, 16), 24),
        (utc(2024, 1, 7, 16), SHANGHAI, utc(2024, 1, 7, 16), 24),  # local midnight belongs
        (utc(2024, 1, 7, 15, 59), SHANGHAI, utc(2024, 1, 6, 16), 24),
        (utc(2024, 1, 8, 9, 30), LONDON, utc(2024, 1, 8), 24),
        (utc(2024, 3, 31, 12), LONDON, utc(2024, 3, 31), 23),  # spring forward
        (utc(2024, 10, 27, 12), LONDON, utc(2024, 10, 26, 23), 25),  # fall back
        (utc(2024, 3, 10, 12), NEW_YORK, utc(2024, 3, 10, 5), 23),
    ],
)
def test_local_day_bounds(moment, tz, start, hours):
    day_start, day_end = local_day_bounds(moment, tz)
    assert day_start == start
    assert day_end - day_start == timedelta(hours=hours)
    assert day_start <= moment < day_end
    assert day_start.tzinfo is UTC and day_end.tzinfo is UTC
