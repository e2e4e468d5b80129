"""Planning the fortnight after a departure, without a database: visit dates, which follow-ups a
visit brings and when, what telling or correcting it again adds, and moving a parent's nudges."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.adapters.contact_dialogs import load_follow_up_schedule
from bot.domain.follow_ups import (
    FollowUpKind,
    FollowUpSchedule,
    KnownFollowUp,
    PlannedFollowUp,
    VisitChange,
    adults_to_nudge,
    child_follow_ups,
    follow_up_days,
    not_yet_planned,
    parent_follow_up_due,
    parent_follow_ups,
    schedule_day,
    visit_change,
    visit_problem,
)
from bot.domain.schedule import BlockedTimes

SHANGHAI = ZoneInfo("Asia/Shanghai")
MADRID = ZoneInfo("Europe/Madrid")
QUIET = BlockedTimes.parse(["daily 21:00-07:30"])
BLOCKED = BlockedTimes.parse(["mon-fri 08:00-16:30", "daily 21:00-07:30"])
SCHEDULE = FollowUpSchedule(
    child_days=(1, 3, 5, 7, 10, 14), parent_days=(1, 4, 10), parent_hour=18
)
LEFT = date(2026, 11, 23)  # a Monday, day 0
CHILD, MUM, DAD = 1, 2, 3


def local(day: date, hour: int, minute: int = 0, tz: ZoneInfo = SHANGHAI) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def test_visit_dates():
    today = date(2026, 11, 23)
    assert visit_problem(date(2026, 11, 1), date(2026, 11, 23), today) is None
    assert visit_problem(date(2026, 11, 23), date(2026, 11, 23), today) is None  # one day
    assert visit_problem(date(2026, 11, 23), date(2026, 11, 1), today) == "visit_order"
    assert visit_problem(date(2026, 1, 1), date(2026, 11, 1), today) == "visit_too_long"
    assert visit_problem(date(2028, 1, 1), date(2028, 1, 10), today) == "visit_too_far"
    assert visit_problem(date(2024, 1, 1), date(2024, 1, 10), today) == "visit_too_far"


def test_follow_up_days_and_the_schedule_in_dialogs():
    schedule = load_follow_up_schedule()
    assert schedule.child_days and schedule.parent_days and 0 <= schedule.parent_hour <= 23
    assert max(schedule.child_days) <= 14  # the first two weeks after a departure
    assert follow_up_days(date(2026, 2, 28), [3, 1, 1]) == [date(2026, 3, 1), date(2026, 3, 3)]
    assert follow_up_days(LEFT, [-1, 0]) == [LEFT]


def test_telling_a_stay_again_or_correcting_it():
    stay = (date(2026, 11, 16), LEFT)
    assert visit_change(None, stay) == VisitChange.NEW
    assert visit_change(stay, stay) == VisitChange.SAME
    assert visit_change(stay, (date(2026, 11, 16), date(2026, 11, 24))) == VisitChange.CORRECTED


def test_the_child_gets_extra_check_ins_at_the_usual_time_on_each_day_ahead():
    now = local(LEFT, 16, 45)
    planned = child_follow_ups(CHILD, LEFT, SCHEDULE, time(17, 30), SHANGHAI, BLOCKED, now)
    assert [p.day.day for p in planned] == [24, 26, 28, 30, 3, 7]
    assert all(p.person_id == CHILD and p.kind == FollowUpKind.CHECKIN for p in planned)
    assert all(p.due_at == local(p.day, 17, 30) for p in planned)
    assert all(p.due_at.tzinfo == UTC for p in planned)


def test_a_visit_told_late_plans_only_what_is_still_ahead():
    now = local(date(2026, 11, 29), 9)  # day 6
    planned = child_follow_ups(CHILD, LEFT, SCHEDULE, time(17, 30), SHANGHAI, BLOCKED, now)
    assert [p.day for p in planned] == [date(2026, 11, 30), date(2026, 12, 3), date(2026, 12, 7)]
    late_at_night = local(LEFT, 23)
    today = child_follow_ups(CHILD, LEFT, SCHEDULE, time(17, 30), SHANGHAI, BLOCKED, late_at_night)
    assert today[0].day == date(2026, 11, 24)


def test_an_extra_check_in_never_falls_in_school_hours():
    # A usual time of 08:30 is inside school on weekdays: pushed to the end of school that day,
    # kept as it is on the Saturday.
    planned = child_follow_ups(
        CHILD, LEFT, SCHEDULE, time(8, 30), SHANGHAI, BLOCKED, local(LEFT, 7)
    )
    by_day = {p.day: p.due_at for p in planned}
    assert by_day[date(2026, 11, 24)] == local(date(2026, 11, 24), 16, 30)
    assert by_day[date(2026, 11, 28)] == local(date(2026, 11, 28), 8, 30)


def test_a_parent_is_nudged_at_the_schedules_hour_on_their_own_clock_past_work():
    now = local(LEFT, 16, 45)
    planned = parent_follow_ups(MUM, LEFT, SCHEDULE, MADRID, QUIET, None, now)
    assert [p.day.day for p in planned] == [24, 27, 3]
    assert planned[0].due_at == local(date(2026, 11, 24), 18, tz=MADRID)
    late = parent_follow_ups(MUM, LEFT, SCHEDULE, MADRID, QUIET, "mon-sun 12:00-20:30", now)
    assert late[0].due_at == local(date(2026, 11, 24), 20, 30, tz=MADRID)
    # A night shift from 17:00 to 09:00 pushes the nudge past the night to the next morning.
    night = parent_follow_up_due(date(2026, 11, 24), 18, MADRID, QUIET, "daily 17:00-09:00")
    assert night == local(date(2026, 11, 25), 9, tz=MADRID)


def test_the_parents_nudged_are_those_who_told_it_and_those_already_nudged():
    known = [
        KnownFollowUp(DAD, FollowUpKind.NUDGE, local(LEFT, 18), SHANGHAI),
        KnownFollowUp(CHILD, FollowUpKind.CHECKIN, local(LEFT, 17), SHANGHAI),
    ]
    assert adults_to_nudge(known, MUM, None) == {MUM, DAD}
    assert adults_to_nudge([], None, None) == set()  # told by a carer: every parent, then


def planned(person: int, kind: FollowUpKind, day: date, due: datetime) -> PlannedFollowUp:
    return PlannedFollowUp(person, kind, day, due)


def test_the_same_stay_told_again_adds_nothing():
    now = local(LEFT, 16, 45)
    first = child_follow_ups(CHILD, LEFT, SCHEDULE, time(17, 30), SHANGHAI, BLOCKED, now)
    first += parent_follow_ups(MUM, LEFT, SCHEDULE, SHANGHAI, QUIET, None, now)
    known = [KnownFollowUp(p.person_id, p.kind.value, p.due_at, SHANGHAI) for p in first]
    assert not_yet_planned(first, known) == []
    assert not_yet_planned(first + first, []) == first  # nor twice among the planned


def test_a_correction_keeps_a_day_already_done_and_adds_the_new_days():
    # Day 1 of the first dates was done; the stay is corrected to end a day later, so the new
    # day 1 is the 25th. The kept row of the 24th does not block it, a row of the 25th would.
    done = KnownFollowUp(CHILD, "checkin", local(date(2026, 11, 24), 17, 30), SHANGHAI)
    new = planned(CHILD, FollowUpKind.CHECKIN, date(2026, 11, 25), local(date(2026, 11, 25), 18))
    assert not_yet_planned([new], [done]) == [new]
    same_day = KnownFollowUp(CHILD, "checkin", local(date(2026, 11, 25), 17, 30), SHANGHAI)
    assert not_yet_planned([new], [same_day]) == []
    other_kind = KnownFollowUp(CHILD, "nudge", local(date(2026, 11, 25), 18), SHANGHAI)
    other_person = KnownFollowUp(MUM, "checkin", local(date(2026, 11, 25), 18), SHANGHAI)
    assert not_yet_planned([new], [other_kind, other_person]) == [new]


def test_a_known_follow_up_is_read_on_its_own_persons_clock():
    # 23:30 in Madrid on the 24th is already the 25th in Shanghai: the day is Madrid's.
    due = local(date(2026, 11, 24), 23, 30, tz=MADRID)
    known = KnownFollowUp(MUM, "nudge", due, MADRID)
    on_24 = planned(MUM, FollowUpKind.NUDGE, date(2026, 11, 24), local(date(2026, 11, 24), 19))
    on_25 = planned(MUM, FollowUpKind.NUDGE, date(2026, 11, 25), local(date(2026, 11, 25), 19))
    assert not_yet_planned([on_24, on_25], [known]) == [on_25]


def test_a_moved_nudge_keeps_the_schedules_day_it_was_for():
    assert schedule_day(LEFT, SCHEDULE.parent_days, date(2026, 11, 24)) == date(2026, 11, 24)
    # A late good hour had pushed day 4 past midnight onto the 28th: it was day 4's.
    assert schedule_day(LEFT, SCHEDULE.parent_days, date(2026, 11, 28)) == date(2026, 11, 27)
    assert schedule_day(LEFT, SCHEDULE.parent_days, date(2026, 11, 20)) == date(2026, 11, 20)
