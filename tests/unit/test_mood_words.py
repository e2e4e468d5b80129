"""The week's mood in gentle words, and the rules of an agreed call time: pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.call_rules import (
    child_reminder_at,
    decode_call_time,
    encode_call_time,
    is_blocked,
    parse_call_time,
)
from bot.domain.mood_words import MoodWording, mood_wording
from bot.domain.schedule import BlockedTimes, WeeklySchedule

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
SHANGHAI = ZoneInfo("Asia/Shanghai")
BLOCKED = BlockedTimes.parse(["mon-fri 08:00-16:30", "daily 21:00-07:30"])


@pytest.mark.parametrize(
    ("moods", "expected"),
    [
        ([], MoodWording.NOT_ENOUGH_ANSWERS),
        ([(1, WED)], MoodWording.NOT_ENOUGH_ANSWERS),  # one answer says nothing about a week
        ([(5, MON)], MoodWording.NOT_ENOUGH_ANSWERS),
        ([(5, MON), (4, WED), (3, FRI)], MoodWording.MOSTLY_CHEERFUL),
        ([(5, MON), (3, WED)], MoodWording.STEADY),  # half happy is not "mostly"
        ([(3, MON), (3, WED), (3, FRI)], MoodWording.STEADY),
        ([(3, MON), (4, WED), (3, FRI)], MoodWording.STEADY),
        ([(5, MON), (2, WED), (4, FRI)], MoodWording.A_BIT_DOWN_MID_WEEK),
        ([(5, MON), (1, TUE), (2, THU), (4, FRI), (5, SAT)], MoodWording.A_BIT_DOWN_MID_WEEK),
        ([(5, MON), (4, WED), (2, FRI)], MoodWording.A_BIT_DOWN_AT_WEEKEND),
        ([(5, MON), (4, WED), (1, SUN)], MoodWording.A_BIT_DOWN_AT_WEEKEND),
        ([(2, MON), (4, WED), (5, FRI)], MoodWording.MIXED),  # Monday is neither
        ([(5, MON), (2, WED), (2, FRI), (5, SAT), (4, SUN)], MoodWording.MIXED),  # spread out
        ([(2, MON), (1, WED), (4, FRI)], MoodWording.A_BIT_DOWN),  # most answers low
        ([(1, MON), (2, WED)], MoodWording.A_BIT_DOWN),
        ([(2, WED), (4, FRI)], MoodWording.A_BIT_DOWN_MID_WEEK),  # one of two is not "most"
    ],
)
def test_mood_wording(moods, expected):
    assert mood_wording(moods) == expected


def test_mood_wording_accepts_any_iterable_and_refuses_nonsense():
    assert mood_wording(iter([(4, MON), (5, TUE)])) == MoodWording.MOSTLY_CHEERFUL
    with pytest.raises(ValueError):
        mood_wording([(0, MON), (3, TUE)])
    with pytest.raises(ValueError):
        mood_wording([(3, 7), (3, TUE)])


def test_every_wording_has_words_for_parents():
    from bot.adapters.dialogs import load_labels

    words = load_labels()["weekly_update"]
    assert {f"mood_{w.value}" for w in MoodWording} <= set(words)


def test_a_call_time_is_one_day_and_a_time():
    assert parse_call_time("sun", "19:30") == WeeklySchedule(frozenset({SUN}), time(19, 30))
    assert parse_call_time("SAT", "9:05").format() == "sat 09:05"
    for day, at in (("mon,wed", "19:00"), ("daily", "19:00"), ("mon-fri", "19:00")):
        with pytest.raises(ValueError):
            parse_call_time(day, at)
    for at in ("25:00", "19h", "19:60"):
        with pytest.raises(ValueError):
            parse_call_time("sun", at)


def test_call_time_code_round_trips_and_rejects_garbage():
    schedule = parse_call_time("fri", "18:45")
    assert encode_call_time(schedule) == "41845"
    assert decode_call_time("41845") == schedule
    for bad in ("71845", "42460", "4184", "x1845", "418450", ""):
        assert decode_call_time(bad) is None


def test_calls_in_school_or_night_hours_are_refused():
    assert is_blocked(parse_call_time("mon", "10:00"), BLOCKED)
    assert is_blocked(parse_call_time("sat", "22:00"), BLOCKED)
    assert is_blocked(parse_call_time("sun", "06:00"), BLOCKED)
    assert not is_blocked(parse_call_time("sat", "10:00"), BLOCKED)
    assert not is_blocked(parse_call_time("mon", "16:30"), BLOCKED)  # school has just ended
    assert not is_blocked(parse_call_time("sun", "20:59"), BLOCKED)


def _at(day: int, hour: int, minute: int) -> datetime:
    """Monday 23 November 2026 + day, local Shanghai time, as UTC."""
    local = datetime(2026, 11, 23, hour, minute, tzinfo=SHANGHAI) + timedelta(days=day)
    return local.astimezone(UTC)


def test_child_reminder_waits_for_school_to_end_and_never_comes_after_the_call():
    half_hour = timedelta(minutes=30)
    evening = _at(SUN, 19, 30)
    assert child_reminder_at(evening, half_hour, SHANGHAI, BLOCKED) == _at(SUN, 19, 0)
    after_school = _at(MON, 16, 45)  # 16:15 is still school: remind as it ends
    assert child_reminder_at(after_school, half_hour, SHANGHAI, BLOCKED) == _at(MON, 16, 30)
    right_after = _at(MON, 16, 30)
    assert child_reminder_at(right_after, half_hour, SHANGHAI, BLOCKED) == right_after
    in_school = _at(MON, 10, 0)  # a time school hours moved onto since it was agreed
    assert child_reminder_at(in_school, half_hour, SHANGHAI, BLOCKED) is None
