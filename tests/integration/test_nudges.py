"""Contact nudges and a parent's own settings, through the core on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from sqlalchemy import select, update

from bot.adapters.db.models import ChildProfile, Consent, ContactPlan, Person
from bot.adapters.db.store import Store
from bot.services.entry import router
from bot.services.family import nudges
from bot.services.tick import collect_due
from tests.helpers import answer_checkin, enrol_consented_child, outbox_rows, sender

PARENT_TG, CHILD_TG = 2001, 1001
# The parent joined on Monday 23 November 2026, 10:00 Shanghai; the first nudge is a week on.
FIRST_DUE = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


async def _plan(core) -> ContactPlan:
    async with core.deps.stores.sessions() as session:
        return (await session.scalars(select(ContactPlan))).one()


async def _nudges(core) -> list:
    return [r for r in await outbox_rows(core) if r.kind == "nudge"]


async def _set(core, model, values, **where) -> None:
    async with core.deps.stores.sessions.begin() as session:
        query = update(model).values(**values)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        await session.execute(query)


async def _command(core, name: str, *args: str, user: int = PARENT_TG):
    return await router.handle_command(core.deps, sender(user, "en"), name, " ".join(args))


async def test_a_silent_parent_is_nudged_once_after_the_cadence(core, clock):
    await enrol_consented_child(core, parent_language="en")
    plan = await _plan(core)
    assert plan.next_nudge_at == FIRST_DUE
    clock.set(FIRST_DUE - timedelta(minutes=1))
    await collect_due(core.deps)
    assert await _nudges(core) == []
    clock.set(FIRST_DUE)
    await collect_due(core.deps)
    await collect_due(core.deps)  # a second tick decides nothing new
    (row,) = await _nudges(core)
    assert row.chat_id == PARENT_TG and row.send_after == FIRST_DUE
    assert "xiaoming" in row.body["text"]
    assert [data for r in row.body["buttons"] for _, data in r] == [
        f"n:{plan.id}:w",
        f"n:{plan.id}:s",
    ]
    plan = await _plan(core)
    assert plan.nudges_ignored == 1 and plan.last_starter
    assert plan.next_nudge_at == FIRST_DUE + timedelta(days=14)


async def test_ignored_nudges_back_off_and_never_repeat_a_starter(core, clock):
    await enrol_consented_child(core, parent_language="en")
    moments = []
    due = FIRST_DUE
    for _ in range(4):
        clock.set(due - timedelta(seconds=1))
        await collect_due(core.deps)
        clock.set(due)
        await collect_due(core.deps)
        moments.append(due)
        due = (await _plan(core)).next_nudge_at
    rows = await _nudges(core)
    assert [r.send_after for r in rows] == moments
    assert [(b - a).days for a, b in pairwise(moments)] == [14, 28, 28]
    texts = [r.body["text"] for r in rows]
    assert all(a != b for a, b in pairwise(texts))
    assert (await _plan(core)).nudges_ignored == 4


async def test_contact_resets_the_back_off(core, clock):
    await enrol_consented_child(core, parent_language="en")
    for moment in (FIRST_DUE, FIRST_DUE + timedelta(days=14)):
        clock.set(moment)
        await collect_due(core.deps)
    assert (await _plan(core)).nudges_ignored == 2
    written = FIRST_DUE + timedelta(days=20)
    plan = await _plan(core)
    async with core.deps.stores.sessions.begin() as session:
        await nudges.note_parent_contact(Store(session), plan.parent_id, None, written)
    plan = await _plan(core)
    assert plan.nudges_ignored == 0 and plan.last_contact_at == written
    assert plan.next_nudge_at == written + timedelta(days=7)
    clock.set(written + timedelta(days=7) - timedelta(minutes=1))
    await collect_due(core.deps)
    assert len(await _nudges(core)) == 2
    clock.set(written + timedelta(days=7))  # a week after writing, not four (the back-off)
    await collect_due(core.deps)
    assert len(await _nudges(core)) == 3
    plan = await _plan(core)
    assert plan.nudges_ignored == 1 and plan.next_nudge_at == clock.now() + timedelta(days=14)


async def test_departure_nudges_one_a_day_and_outside_the_back_off(core, clock):
    await enrol_consented_child(core, parent_language="en")
    await _command(core, "visit", "2026-11-01", "2026-11-26")  # left on Thursday
    day_1 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # Friday 18:00 Shanghai
    clock.set(day_1)
    await collect_due(core.deps)
    (extra,) = await _nudges(core)
    assert "first days after you leave" in extra.body["text"]
    assert (await _plan(core)).nudges_ignored == 0  # extra nudges are not counted
    clock.set(FIRST_DUE)  # the regular nudge on day 4, with a departure starter
    await collect_due(core.deps)
    clock.set(datetime(2026, 11, 30, 10, 0, tzinfo=UTC))  # day 4's extra nudge, same day
    await collect_due(core.deps)
    rows = await _nudges(core)
    assert [r.send_after for r in rows] == [day_1, FIRST_DUE]
    assert "first days after you leave" in rows[1].body["text"]
    assert rows[0].body["text"] != rows[1].body["text"]
    assert (await _plan(core)).nudges_ignored == 1


async def test_the_starter_counts_check_ins_answered_never_what_was_said(core, clock):
    child_id = await enrol_consented_child(core, parent_language="en")
    await answer_checkin(core, clock, child_id, CHILD_TG, 1, (3, 3, 3))
    await answer_checkin(core, clock, child_id, CHILD_TG, 1, (3, 3, 3))
    await _set(core, ContactPlan, {"next_nudge_at": clock.now()})
    # Rotate until the check-in starter comes (the pool alternates topics).
    texts = []
    for day in range(3):
        clock.set(datetime(2026, 11, 26, 2, 0, tzinfo=UTC) + timedelta(days=day))
        await _set(core, ContactPlan, {"next_nudge_at": clock.now()})
        await collect_due(core.deps)
        texts = [r.body["text"] for r in await _nudges(core)]
    assert any("answered 2 check-ins this week" in t for t in texts)
    assert not any("9" in t or "lonely" in t.lower() or "😢" in t for t in texts)


async def test_no_nudge_while_consent_is_withdrawn_then_it_resumes(core, clock):
    child_id = await enrol_consented_child(core, parent_language="en")
    await _set(core, Consent, {"withdrawn_at": clock.now()}, child_id=child_id)
    clock.set(FIRST_DUE)
    await collect_due(core.deps)
    assert await _nudges(core) == []
    assert (await _plan(core)).next_nudge_at == FIRST_DUE + timedelta(days=7)
    await _set(core, Consent, {"withdrawn_at": None}, child_id=child_id)
    clock.set(FIRST_DUE + timedelta(days=7))
    await collect_due(core.deps)
    assert len(await _nudges(core)) == 1


async def test_no_nudge_while_paused_or_unreachable(core, clock):
    await enrol_consented_child(core, parent_language="en")
    await _set(core, ContactPlan, {"relay_paused": True})
    clock.set(FIRST_DUE)
    await collect_due(core.deps)
    await _set(core, ContactPlan, {"relay_paused": False})
    await _set(core, Person, {"unreachable_since": FIRST_DUE}, telegram_id=PARENT_TG)
    clock.set(FIRST_DUE + timedelta(days=7))
    await collect_due(core.deps)
    assert await _nudges(core) == []
    assert (await _plan(core)).nudges_ignored == 0


async def test_a_child_muting_parents_holds_the_nudge_quietly(core, clock):
    child_id = await enrol_consented_child(core, parent_language="en")
    muted_until = FIRST_DUE + timedelta(days=2)
    await _set(core, ChildProfile, {"relay_muted_until": muted_until}, person_id=child_id)
    clock.set(FIRST_DUE)
    await collect_due(core.deps)
    assert await _nudges(core) == []
    assert (await _plan(core)).next_nudge_at == muted_until


async def test_nudges_wait_for_the_parents_good_hour_and_writing_meanwhile_cancels(core, clock):
    await enrol_consented_child(core, parent_language="en")
    # 10:00 Shanghai on the due day is within these working hours: decided at 20:00.
    outcome = await _command(core, "workhours", "mon-sat", "08:00-20:00")
    assert "mon-sat 08:00-20:00" in outcome.replies[0].text
    clock.set(FIRST_DUE)
    await collect_due(core.deps)
    evening = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # 20:00 Shanghai
    assert await _nudges(core) == []
    assert (await _plan(core)).next_nudge_at == evening
    plan = await _plan(core)
    async with core.deps.stores.sessions.begin() as session:
        await nudges.note_parent_contact(Store(session), plan.parent_id, plan.child_id, evening)
    clock.set(evening)
    await collect_due(core.deps)
    assert await _nudges(core) == []


async def test_reminders_off_and_on_and_the_stop_button(core, clock):
    await enrol_consented_child(core, parent_language="en")
    off = await _command(core, "reminders", "off")
    assert "Reminders are off" in off.replies[0].text
    assert (await _plan(core)).next_nudge_at is None
    clock.set(FIRST_DUE + timedelta(days=60))
    await collect_due(core.deps)
    assert await _nudges(core) == []
    on = await _command(core, "reminders", "on")
    assert "Reminders are on" in on.replies[0].text and "(your time)" in on.replies[0].text
    plan = await _plan(core)
    assert not plan.nudges_stopped and plan.next_nudge_at == clock.now() + timedelta(days=7)
    status = await _command(core, "reminders")
    assert "/reminders off" in status.replies[0].text
    bad = await _command(core, "reminders", "maybe")
    assert "/reminders on" in bad.replies[0].text

    stop = await router.handle_button(core.deps, sender(PARENT_TG, "en"), f"n:{plan.id}:s")
    assert stop.toast and "Reminders are off" in stop.replies[0].text
    assert (await _plan(core)).nudges_stopped
    write = await router.handle_button(core.deps, sender(PARENT_TG, "en"), f"n:{plan.id}:w")
    assert "xiaoming" in write.replies[0].text
    forged = await router.handle_button(core.deps, sender(CHILD_TG, "en"), f"n:{plan.id}:s")
    assert forged.toast and not forged.replies
    other = await router.handle_button(core.deps, sender(PARENT_TG, "en"), f"n:{plan.id + 9}:s")
    assert other.toast and not other.replies


async def test_timezone_command(core, clock):
    await enrol_consented_child(core, parent_language="en")
    shown = await _command(core, "timezone")
    assert "Asia/Shanghai" in shown.replies[0].text and "Europe/Madrid" in shown.replies[0].text
    changed = await _command(core, "timezone", "europe/madrid")
    assert "Europe/Madrid" in changed.replies[0].text
    assert "3:00" in changed.replies[0].text  # 10:00 Shanghai is 03:00 in Madrid
    async with core.deps.stores.sessions() as session:
        parent = (
            await session.scalars(select(Person).where(Person.telegram_id == PARENT_TG))
        ).one()
    assert parent.timezone == "Europe/Madrid"
    bad = await _command(core, "timezone", "Mars/Olympus")
    assert "Mars/Olympus" in bad.replies[0].text and "America/New_York" in bad.replies[0].text
    assert "Mars" not in (await _command(core, "timezone")).replies[0].text
    # Not a parent command for the child.
    assert "Asia" not in (await _command(core, "timezone", user=CHILD_TG)).replies[0].text


async def test_workhours_command(core, clock):
    await enrol_consented_child(core, parent_language="en")
    first = await _command(core, "workhours")
    assert "/workhours mon-sat 08:00-20:00" in first.replies[0].text
    saved = await _command(core, "workhours", "mon-fri", "20:00-06:00;", "sat", "8:00-12:00")
    text = saved.replies[0].text
    assert "mon-fri 20:00-06:00" in text and "sat 08:00-12:00" in text
    async with core.deps.stores.sessions() as session:
        parent = (
            await session.scalars(select(Person).where(Person.telegram_id == PARENT_TG))
        ).one()
    assert parent.work_hours == "mon-fri 20:00-06:00; sat 08:00-12:00"
    whole = await _command(core, "workhours", "daily", "07:00-22:00")
    assert "no time left" in whole.replies[0].text
    wrong = await _command(core, "workhours", "weekdays", "9-5")
    assert "How to set your working hours" in wrong.replies[0].text
    off = await _command(core, "workhours", "off")
    assert "no working hours" in off.replies[0].text
    async with core.deps.stores.sessions() as session:
        parent = await session.get(Person, parent.id)
    assert parent.work_hours is None
