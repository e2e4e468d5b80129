"""Visits and the follow-ups after a departure, through the core on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.adapters.db.models import Checkin, ChildProfile, FollowUp, Person, Visit
from bot.adapters.db.store import Store
from bot.domain.detection import DetectorState
from bot.domain.people import Role
from bot.services.entry import router
from bot.services.people.enrolment import InviteRequest
from bot.services.tick import collect_due
from tests.helpers import (
    COORDINATOR_TG,
    checkins_of,
    enrol_consented_child,
    outbox_rows,
    sender,
    staff,
)

PARENT_TG, CHILD_TG = 2001, 1001


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    """Shanghai wall time in November/December 2026, as UTC (Shanghai is UTC+8)."""
    month, day = (11, day) if day <= 30 else (12, day - 30)
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


async def _command(core, name: str, *args: str, user: int = PARENT_TG):
    return await router.handle_command(core.deps, sender(user, "en"), name, " ".join(args))


async def _follow_ups(core) -> list[FollowUp]:
    async with core.deps.stores.sessions() as session:
        rows = await session.scalars(select(FollowUp).order_by(FollowUp.kind, FollowUp.due_at))
        return list(rows.all())


async def test_a_parent_records_a_visit_and_follow_ups_are_planned_once(core, clock):
    child_id = await enrol_consented_child(core, parent_language="en")
    # Monday 23 November 2026 is the departure day (day 0).
    outcome = await _command(core, "visit", "2026-11-16", "2026-11-23")
    text = outcome.replies[0].text
    assert "xiaoming" in text and "6 in all" in text and "remind you" in text
    follow_ups = await _follow_ups(core)
    checkins = [f.due_at for f in follow_ups if f.kind == "checkin"]
    nudges = [f.due_at for f in follow_ups if f.kind == "nudge"]
    # The child's usual time (17:30) on days 1, 3, 5, 7, 10 and 14.
    assert checkins == [sh(d, 17, 30) for d in (24, 26, 28, 30, 33, 37)]
    assert nudges == [sh(d, 18) for d in (24, 27, 33)]  # the parent's days 1, 4, 10 at 18:00
    assert {f.child_id for f in follow_ups} == {child_id}

    again = await _command(core, "visit", "2026-11-16", "2026-11-23")
    assert "Updated" in again.replies[0].text
    assert len(await _follow_ups(core)) == len(follow_ups)
    async with core.deps.stores.sessions() as session:
        assert len((await session.scalars(select(Visit))).all()) == 1


async def test_correcting_the_dates_moves_what_is_still_ahead(core, clock):
    await enrol_consented_child(core, parent_language="en")
    await _command(core, "visit", "2026-11-16", "2026-11-23")
    clock.set(sh(24, 17, 30))
    await collect_due(core.deps)  # day 1 happened
    await _command(core, "visit", "2026-11-16", "2026-11-25")  # they stayed two more days
    follow_ups = await _follow_ups(core)
    done = [f for f in follow_ups if f.done_at is not None]
    pending = [f.due_at for f in follow_ups if f.done_at is None and f.kind == "checkin"]
    assert [f.due_at for f in done if f.kind == "checkin"] == [sh(24, 17, 30)]
    assert pending == [sh(d, 17, 30) for d in (26, 28, 30, 32, 35, 39)]
    async with core.deps.stores.sessions() as session:
        (visit,) = (await session.scalars(select(Visit))).all()
    assert str(visit.ends_on) == "2026-11-25"


async def test_extra_checkins_open_on_their_days_but_never_twice_a_day(core, clock):
    child_id = await enrol_consented_child(core, parent_language="en")
    await _command(core, "visit", "2026-11-16", "2026-11-23")
    for day in range(23, 38):
        for hour, minute in ((17, 30), (18, 0)):
            clock.set(sh(day, hour, minute))
            await collect_due(core.deps)
            await _answer_open(core, child_id)
    opened = [(c.kind, c.due_at) for c in await checkins_of(core, child_id)]
    assert all(c.status == "completed" for c in await checkins_of(core, child_id))
    follow_up = sorted(due for kind, due in opened if kind == "follow_up")
    # Days 1, 3, 5 and 10; days 7 and 14 (Mondays) already have their scheduled check-in.
    assert follow_up == [sh(d, 17, 30) for d in (24, 26, 28, 33)]
    scheduled = {due for kind, due in opened if kind == "scheduled"}
    assert {sh(30, 17, 30), sh(37, 17, 30)} <= scheduled
    rows = [r for r in await outbox_rows(core) if r.kind == "checkin" and r.chat_id == CHILD_TG]
    assert len(rows) == len(opened)
    assert all(f.done_at is not None for f in await _follow_ups(core))


async def _answer_open(core, child_id: int) -> None:
    """The child answers whatever check-in is open (a cheerful one, skipping the words)."""
    open_ones = [c for c in await checkins_of(core, child_id) if c.status == "open"]
    me = sender(CHILD_TG)
    for checkin in open_ones:
        for step, value in (("mood", 5), ("companionship", 1), ("left_out", 1), ("alone", 1)):
            await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:{value}")
        await router.handle_button(core.deps, me, f"c:{checkin.id}:words:-1")


async def test_departure_nudges_come_at_the_parents_good_hour(core, clock):
    await enrol_consented_child(core, parent_language="en")
    await _command(core, "workhours", "daily", "12:00-20:00")
    await _command(core, "visit", "2026-11-16", "2026-11-23")
    nudges = [f.due_at for f in await _follow_ups(core) if f.kind == "nudge"]
    assert nudges[0] == sh(24, 20)  # 18:00 is within working hours: after work
    clock.set(sh(24, 18))
    await collect_due(core.deps)
    assert not [r for r in await outbox_rows(core) if r.kind == "nudge"]
    clock.set(sh(24, 20))
    await collect_due(core.deps)
    (row,) = [r for r in await outbox_rows(core) if r.kind == "nudge"]
    assert row.chat_id == PARENT_TG and "first days after you leave" in row.body["text"]


async def test_changing_timezone_moves_the_parents_follow_ups(core, clock):
    await enrol_consented_child(core, parent_language="en")
    await _command(core, "visit", "2026-11-16", "2026-11-23")
    await _command(core, "timezone", "Europe/Madrid")
    nudges = [f.due_at for f in await _follow_ups(core) if f.kind == "nudge"]
    # 18:00 in Madrid (UTC+1 in winter) on the same days.
    assert nudges == [datetime(2026, 11, d, 17, 0, tzinfo=UTC) for d in (24, 27)] + [
        datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    ]
    checkins = [f.due_at for f in await _follow_ups(core) if f.kind == "checkin"]
    assert checkins[0] == sh(24, 17, 30)  # the child's clock did not move


async def test_no_extra_checkin_when_paused_or_when_the_tick_comes_too_late(core, clock):
    child_id = await enrol_consented_child(core, parent_language="en")
    await _command(core, "visit", "2026-11-16", "2026-11-23")
    async with core.deps.stores.sessions.begin() as session:
        await session.execute(
            update(ChildProfile).where(ChildProfile.person_id == child_id).values(paused=True)
        )
    clock.set(sh(24, 17, 30))
    await collect_due(core.deps)
    async with core.deps.stores.sessions.begin() as session:
        await session.execute(
            update(ChildProfile).where(ChildProfile.person_id == child_id).values(paused=False)
        )
    clock.set(sh(27, 18))  # the bot was down over day 3's check-in (Thursday 26)
    await collect_due(core.deps)
    kinds = [c.kind for c in await checkins_of(core, child_id)]
    assert "follow_up" not in kinds


async def test_who_may_record_a_visit(core, clock):
    await enrol_consented_child(core, parent_language="en")
    await enrol_consented_child(
        core, "xiaohong", child_tg=1002, parent_tg=2002, parent_language="en"
    )
    await staff(core, Role.COORDINATOR, "Li", COORDINATOR_TG)
    # A parent may not record a visit for someone else's child, and learns nothing about it.
    other = await _command(core, "visit", "xiaohong", "2026-11-16", "2026-11-23")
    unknown = await _command(core, "visit", "nobody", "2026-11-16", "2026-11-23")
    assert other.replies[0].text == unknown.replies[0].text.replace("nobody", "xiaohong")
    # A coordinator must name the child.
    usage = await _command(core, "visit", "2026-11-16", "2026-11-23", user=COORDINATOR_TG)
    assert "/visit CHILD_NICKNAME" in usage.replies[0].text
    done = await _command(
        core, "visit", "XiaoHong", "2026-11-16", "2026-11-23", user=COORDINATOR_TG
    )
    assert "xiaohong" in done.replies[0].text and "Parents living away" in done.replies[0].text
    nudged = {f.person_id for f in await _follow_ups(core) if f.kind == "nudge"}
    async with core.deps.stores.sessions() as session:
        parent = (await session.scalars(select(Person).where(Person.telegram_id == 2002))).one()
    assert nudged == {parent.id}
    # The child has no /visit.
    child = await _command(core, "visit", "2026-11-16", "2026-11-23", user=CHILD_TG)
    assert "xiaoming" not in child.replies[0].text


async def test_a_parent_of_two_names_the_child(core, clock):
    await enrol_consented_child(core, parent_language="en")
    await enrol_consented_child(
        core, "xiaohong", child_tg=1002, parent_tg=2002, parent_language="en"
    )
    from tests.helpers import invite

    code = await invite(core, InviteRequest(Role.PARENT, child="xiaohong", name="Mum"))
    await router.handle_start(core.deps, sender(PARENT_TG, "en"), code)
    which = await _command(core, "visit", "2026-11-16", "2026-11-23")
    assert "xiaohong, xiaoming" in which.replies[0].text
    named = await _command(core, "visit", "xiaohong", "2026-11-16", "2026-11-23")
    assert "xiaohong" in named.replies[0].text
    async with core.deps.stores.sessions() as session:
        (visit,) = (await session.scalars(select(Visit))).all()
        child = await session.get(Person, visit.child_id)
    assert child.display_name == "xiaohong"


async def test_bad_dates_get_a_kind_reply_and_store_nothing(core, clock):
    await enrol_consented_child(core, parent_language="en")
    cases = {
        ("2026-11-23",): "How to record a visit",
        ("2026-02-30", "2026-03-02"): "not a date I understand",
        ("23/11/2026", "2026-11-30"): "not a date I understand",
        ("2026-11-23", "2026-11-01"): "before the first one",
        ("2026-01-01", "2026-11-20"): "more than half a year",
        ("2028-01-01", "2028-01-20"): "more than a year from today",
    }
    for args, expected in cases.items():
        outcome = await _command(core, "visit", *args)
        assert expected in outcome.replies[0].text, args
    async with core.deps.stores.sessions() as session:
        assert (await session.scalars(select(Visit))).all() == []
    assert await _follow_ups(core) == []


async def test_a_visit_long_past_plans_nothing(core, clock):
    await enrol_consented_child(core, parent_language="en")
    outcome = await _command(core, "visit", "2026-09-01", "2026-09-20")
    assert "already past" in outcome.replies[0].text
    assert await _follow_ups(core) == []
    async with core.deps.stores.sessions() as session:
        assert len((await session.scalars(select(Checkin))).all()) == 0


async def test_missed_extra_checkins_are_not_counted_as_silence(core, clock):
    """Only the usual check-ins tell of silence; an extra one after a departure is a bonus ask."""
    child_id = await enrol_consented_child(core, parent_language="en")
    await _command(core, "visit", "2026-11-16", "2026-11-23")
    clock.set(sh(24, 17, 30))  # day 1: an extra check-in, left unanswered
    await collect_due(core.deps)
    clock.set(sh(25, 17, 31))
    await collect_due(core.deps)
    (follow_up,) = [c for c in await checkins_of(core, child_id) if c.kind == "follow_up"]
    assert follow_up.status == "missed"
    async with core.deps.stores.sessions() as session:
        state = await Store(session).alerts.detector_state(child_id)
    assert state is None or DetectorState.from_dict(state).missed_run == 0
