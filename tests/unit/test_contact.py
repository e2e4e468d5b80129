"""Keeping parents in touch: a parent's good hour across timezones and DST, cadence and back-off,
and conversation starters."""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.contact_dialogs import (
    load_holidays,
    load_starters,
    starter_texts,
)
from bot.domain.contact import (
    AFTER_DEPARTURE,
    MAX_NUDGE_INTERVAL,
    ChildFacts,
    DayKind,
    adult_blocked_times,
    day_kind,
    good_hour,
    leaves_no_time,
    next_nudge_after_contact,
    next_nudge_after_sent,
    nudge_interval,
    parse_work_hours,
    pick_starter,
    starter_pool,
    starter_topics,
)
from bot.domain.schedule import BlockedTimes

QUIET = BlockedTimes.parse(["daily 21:00-07:30"])
MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
DUBAI = ZoneInfo("Asia/Dubai")
SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = "mon-fri 08:00-18:00"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def at(tz: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=tz)


# --- a parent's good hour --------------------------------------------------------------------


def test_free_moment_is_kept_as_it_is():
    moment = at(MADRID, 2026, 11, 21, 11, 0)  # a Saturday morning
    assert good_hour(moment, MADRID, QUIET, OFFICE) == moment


def test_madrid_night_before_the_spring_dst_switch_ends_at_0730_summer_time():
    # 29 March 2026: clocks go 02:00 -> 03:00 in Madrid (CET, UTC+1 -> CEST, UTC+2).
    saturday_night = at(MADRID, 2026, 3, 28, 22, 0)
    assert good_hour(saturday_night, MADRID, QUIET, OFFICE) == utc(2026, 3, 29, 5, 30)


def test_madrid_work_hours_after_the_spring_switch_follow_the_wall_clock():
    monday_noon = at(MADRID, 2026, 3, 30, 12, 0)  # CEST now
    assert good_hour(monday_noon, MADRID, QUIET, OFFICE) == utc(2026, 3, 30, 16, 0)
    friday_before = at(MADRID, 2026, 3, 27, 12, 0)  # still CET
    assert good_hour(friday_before, MADRID, QUIET, OFFICE) == utc(2026, 3, 27, 17, 0)


def test_madrid_night_across_the_autumn_switch_and_its_repeated_hour():
    # 25 October 2026: clocks go 03:00 -> 02:00 (CEST -> CET); 02:30 happens twice.
    expected = utc(2026, 10, 25, 6, 30)  # 07:30 CET
    assert good_hour(at(MADRID, 2026, 10, 24, 23, 0), MADRID, QUIET, OFFICE) == expected
    first = datetime(2026, 10, 25, 2, 30, tzinfo=MADRID, fold=0)
    second = datetime(2026, 10, 25, 2, 30, tzinfo=MADRID, fold=1)
    assert first.astimezone(UTC) != second.astimezone(UTC)
    assert good_hour(first, MADRID, QUIET, OFFICE) == expected
    assert good_hour(second, MADRID, QUIET, OFFICE) == expected


def test_new_york_night_and_work_chain_across_the_march_switch():
    # 8 March 2026: New York goes EST (UTC-5) -> EDT (UTC-4).
    shifts = "mon-sat 07:00-19:00"
    sunday_night = at(NEW_YORK, 2026, 3, 8, 1, 30)  # before the gap, in quiet hours
    assert good_hour(sunday_night, NEW_YORK, QUIET, shifts) == utc(2026, 3, 8, 11, 30)
    # Monday 06:00: quiet until 07:30 runs straight into work until 19:00 EDT.
    monday_early = at(NEW_YORK, 2026, 3, 9, 6, 0)
    assert good_hour(monday_early, NEW_YORK, QUIET, shifts) == utc(2026, 3, 9, 23, 0)


def test_the_same_instant_is_good_for_one_parent_and_not_another():
    instant = utc(2026, 11, 23, 6, 0)  # 14:00 Shanghai, 10:00 Dubai, 07:00 Madrid
    assert good_hour(instant, SHANGHAI, QUIET, None) == instant
    assert good_hour(instant, DUBAI, QUIET, "mon-sat 09:00-18:00") == utc(2026, 11, 23, 14, 0)
    assert good_hour(instant, MADRID, QUIET, OFFICE) == utc(2026, 11, 23, 6, 30)  # 07:30


def test_night_shift_crossing_midnight():
    night_shift = "mon-fri 19:00-07:00"
    # Monday 19:30: the shift, then the night's quiet hours: Tuesday 07:30.
    monday = at(DUBAI, 2026, 11, 23, 19, 30)
    assert good_hour(monday, DUBAI, QUIET, night_shift) == at(DUBAI, 2026, 11, 24, 7, 30)
    # Saturday 05:00 is still inside Friday's shift, and in quiet hours: 07:30.
    saturday = at(DUBAI, 2026, 11, 28, 5, 0)
    assert good_hour(saturday, DUBAI, QUIET, night_shift) == at(DUBAI, 2026, 11, 28, 7, 30)
    # Sunday 19:30: no shift starts on Sunday, so the evening is free.
    sunday = at(DUBAI, 2026, 11, 29, 19, 30)
    assert good_hour(sunday, DUBAI, QUIET, night_shift) == sunday


def test_night_shift_with_daytime_sleep_leaves_the_evening():
    sleep_and_work = "daily 20:00-08:00; daily 08:00-15:00"
    evening = at(NEW_YORK, 2026, 11, 23, 16, 0)
    assert good_hour(evening, NEW_YORK, QUIET, sleep_and_work) == evening
    night = at(NEW_YORK, 2026, 11, 23, 21, 0)
    assert good_hour(night, NEW_YORK, QUIET, sleep_and_work) == at(NEW_YORK, 2026, 11, 24, 15, 0)


@pytest.mark.parametrize("hours", ["daily 07:00-22:00", "daily 00:00-00:00", "daily 07:00-21:00"])
def test_work_hours_that_would_block_the_whole_week_are_ignored(hours):
    assert adult_blocked_times(QUIET, hours) == QUIET
    assert leaves_no_time(QUIET, hours)
    noon = at(MADRID, 2026, 11, 23, 12, 0)
    assert good_hour(noon, MADRID, QUIET, hours) == noon


def test_work_hours_leaving_a_gap_are_kept():
    assert not leaves_no_time(QUIET, "daily 07:00-20:45")
    assert adult_blocked_times(QUIET, "daily 07:00-20:45") != QUIET


def test_parse_work_hours_is_canonical_and_strict():
    assert parse_work_hours("Mon-Sat 8:00-20:00 ; sun 10:00-14:00") == (
        "mon-sat 08:00-20:00; sun 10:00-14:00"
    )
    assert parse_work_hours("mon,tue,wed,thu,fri 22:00-06:00") == "mon-fri 22:00-06:00"
    for bad in ("", ";", "weekdays 08:00-18:00", "mon-fri 08:00", "mon-fri 25:00-26:00"):
        with pytest.raises(ValueError):
            parse_work_hours(bad)
    with pytest.raises(ValueError):
        parse_work_hours("; ".join(["mon 08:00-09:00"] * 6))  # too long to store


# --- cadence and back-off ----------------------------------------------------------------------


def test_back_off_doubles_per_unanswered_nudge_and_is_capped():
    week = timedelta(days=7)
    assert nudge_interval(7, 0) == week
    assert nudge_interval(7, 1) == 2 * week
    assert nudge_interval(7, 2) == 4 * week == MAX_NUDGE_INTERVAL
    assert nudge_interval(7, 3) == MAX_NUDGE_INTERVAL
    assert nudge_interval(7, 500) == MAX_NUDGE_INTERVAL
    assert nudge_interval(3, 2) == timedelta(days=12)
    assert nudge_interval(7, -1) == week


def test_a_cadence_longer_than_the_cap_is_kept_and_a_zero_one_is_a_day():
    assert nudge_interval(35, 3) == timedelta(days=35)
    assert nudge_interval(0, 0) == timedelta(days=1)


def test_a_silent_parent_is_nudged_after_the_cadence_then_less_and_less_often():
    contact = utc(2026, 11, 1, 12)
    due = next_nudge_after_contact(contact, 7)
    sent = []
    for unanswered in range(1, 5):
        sent.append(due)
        due = next_nudge_after_sent(due, 7, unanswered)
    gaps = [(b - a).days for a, b in pairwise([contact, *sent])]
    assert gaps == [7, 14, 28, 28]


def test_contact_starts_a_whole_cadence_again():
    now = utc(2026, 11, 23, 9)
    assert next_nudge_after_contact(now, 7) == now + timedelta(days=7)
    assert next_nudge_after_contact(now, 0) == now + timedelta(days=1)


# --- conversation starters ---------------------------------------------------------------------


def test_day_kind():
    holidays = [(date(2027, 1, 23), date(2027, 2, 21))]
    assert day_kind(date(2026, 11, 23), holidays) == DayKind.SCHOOL_WEEK  # Monday
    assert day_kind(date(2026, 11, 28), holidays) == DayKind.WEEKEND
    assert day_kind(date(2027, 2, 1), holidays) == DayKind.HOLIDAY
    assert day_kind(date(2027, 2, 21), holidays) == DayKind.HOLIDAY  # inclusive


def test_topics_follow_what_the_child_did_and_a_departure_comes_first():
    week = ChildFacts(checkins_answered=3, day=DayKind.SCHOOL_WEEK)
    assert starter_topics(week) == ["checkins", "school_week", "general"]
    quiet = ChildFacts(checkins_answered=0, day=DayKind.WEEKEND)
    assert starter_topics(quiet) == ["weekend", "general"]
    busy = ChildFacts(checkins_answered=1, day=DayKind.HOLIDAY, activities_done=2)
    assert starter_topics(busy) == ["activities", "checkins", "holiday", "general"]
    left = ChildFacts(checkins_answered=3, day=DayKind.SCHOOL_WEEK, days_since_departure=2)
    assert starter_topics(left) == [AFTER_DEPARTURE]
    long_ago = ChildFacts(checkins_answered=0, day=DayKind.SCHOOL_WEEK, days_since_departure=40)
    assert starter_topics(long_ago) == ["school_week", "general"]


def test_pool_alternates_topics():
    pool = starter_pool(["a", "b", "c"], {"a": ["a1", "a2"], "b": ["b1"], "c": ["c1", "c2"]})
    assert pool == ["a1", "b1", "c1", "a2", "c2"]
    assert starter_pool(["missing"], {}) == []


def test_pick_rotates_and_never_repeats_even_when_the_pool_changes():
    starters = {t: [k for k, _ in s] for t, s in load_starters().items()}
    facts = [
        ChildFacts(checkins_answered=n % 4, day=kind, days_since_departure=dep)
        for n, (kind, dep) in enumerate([(k, d) for k in DayKind for d in (None, 1, None, 30)] * 3)
    ]
    last = None
    for seed, fact in enumerate(facts):
        key = pick_starter(starter_pool(starter_topics(fact), starters), last, seed)
        assert key is not None and key != last
        last = key
    assert pick_starter([], None, 0) is None
    assert pick_starter(["only"], "only", 5) == "only"
    assert pick_starter(["a", "b", "c"], "c", 0) == "a"


def test_starters_in_dialogs_are_well_formed():
    texts = starter_texts()
    assert {"after_departure", "checkins", "school_week", "weekend", "holiday", "general"} <= set(
        load_starters()
    )
    for text in texts.values():
        filled = text % {"child": "Ming", "count": 3}
        assert "%(" not in filled
    for first, last in load_holidays():
        assert first <= last


def test_starters_never_mention_what_a_child_said_or_scored():
    for text in starter_texts().values():
        lowered = text.lower()
        for private in ("lonel", "score", "mood", "said", "wrote", "sad"):
            assert private not in lowered, text
