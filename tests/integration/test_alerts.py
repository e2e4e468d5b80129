"""Volunteer alerts through the core: raised, delivered, acknowledged, escalated, closed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.adapters.db.models import AccessLog, CaseNote, Person
from bot.adapters.db.store import Store
from bot.domain.people import Role
from bot.services.alerts.raising import raise_alert
from bot.services.entry import router
from bot.services.tick import collect_due
from tests.helpers import (
    COORDINATOR_TG,
    VOLUNTEER_TG,
    alert_rows,
    all_alerts,
    answer_checkin,
    checkins_of,
    durable_replies,
    enrol_consented_child,
    miss_checkin,
    next_checkin,
    outbox_rows,
    program_with_volunteer,
    sender,
    staff,
    very_lonely_twice,
)

VOLUNTEER, COORDINATOR, OTHER_VOLUNTEER = VOLUNTEER_TG, COORDINATOR_TG, 3002


async def test_very_lonely_twice_alerts_the_volunteer_once(core, clock):
    child_id = await program_with_volunteer(core)
    await very_lonely_twice(core, clock, child_id, mood=3)
    (alert,) = [a for a in await all_alerts(core) if a.reason == "high_loneliness"]
    assert alert.status == "open" and alert.severity == "alert"
    rows = await outbox_rows(core)
    message = next(r for r in alert_rows(rows, VOLUNTEER) if "very lonely" in r.body["text"])
    assert "xiaoming" in message.body["text"] and "██" in message.body["text"]
    assert not alert_rows(rows, COORDINATOR)  # a volunteer is assigned: not the coordinators
    await answer_checkin(core, clock, child_id, 1001, mood=2, items=(3, 3, 3))
    assert len([a for a in await all_alerts(core) if a.reason == "high_loneliness"]) == 1


async def test_unacknowledged_alert_escalates_once_per_step(core, clock):
    child_id = await program_with_volunteer(core)
    await very_lonely_twice(core, clock, child_id, mood=2)
    (alert,) = await all_alerts(core)
    clock.set(alert.opened_at + timedelta(hours=23))
    assert (await collect_due(core.deps)).escalated == 0
    clock.set(alert.opened_at + timedelta(hours=24, seconds=1))
    assert (await collect_due(core.deps)).escalated == 1
    assert (await collect_due(core.deps)).escalated == 0  # nothing repeats within a step
    rows = await outbox_rows(core)
    assert alert_rows(rows, COORDINATOR) and len(alert_rows(rows, VOLUNTEER)) == 2


async def test_acknowledge_stops_escalation_and_contacted_closes_with_a_note(core, clock):
    child_id = await program_with_volunteer(core)
    await very_lonely_twice(core, clock, child_id, mood=2)
    (alert,) = await all_alerts(core)
    me = sender(VOLUNTEER, "en")
    acked = await router.handle_button(core.deps, me, f"v:{alert.id}:ack")
    assert acked.edit is not None and "Acknowledged" in acked.edit.text
    clock.advance(days=3)
    assert (await collect_due(core.deps)).escalated == 0
    contacted = await router.handle_button(core.deps, me, f"v:{alert.id}:done")
    assert contacted.replies and "note" in contacted.replies[0].text
    saved = await router.handle_text(core.deps, me, "Visited; she misses her mum. Parents called.")
    assert "closed" in saved.replies[0].text
    (alert,) = await all_alerts(core)
    assert alert.status == "closed"
    async with core.deps.stores.sessions() as session:
        (note,) = (await session.scalars(select(CaseNote))).all()
    assert note.alert_id == alert.id and "misses" in note.text


async def test_an_acknowledged_concern_does_not_silence_the_next_one(core, clock):
    child_id = await program_with_volunteer(core)
    await very_lonely_twice(core, clock, child_id, mood=3)
    (alert,) = [a for a in await all_alerts(core) if a.reason == "high_loneliness"]
    await router.handle_button(core.deps, sender(VOLUNTEER, "en"), f"v:{alert.id}:ack")
    before = len(alert_rows(await outbox_rows(core), VOLUNTEER))
    clock.advance(days=15)  # past the detector's cooldown; the volunteer only wrote /note
    async with (
        core.deps.stores.sessions.begin() as session
    ):  # detection fires the same reason again
        child = await session.get(Person, child_id)
        assert await raise_alert(core.deps, Store(session), child, "high_loneliness", "alert") == 1
    (again,) = [a for a in await all_alerts(core) if a.reason == "high_loneliness"]
    assert again.id == alert.id and again.status == "open" and again.detail["repeats"] == 1
    assert len(alert_rows(await outbox_rows(core), VOLUNTEER)) == before + 1


async def test_another_volunteer_cannot_see_or_act_on_the_child(core, clock):
    child_id = await program_with_volunteer(core)
    await enrol_consented_child(core, "xiaohong", child_tg=1002, parent_tg=2002)
    await staff(core, Role.VOLUNTEER, "Zhao", OTHER_VOLUNTEER, child="xiaohong")
    await very_lonely_twice(core, clock, child_id, mood=2)
    (alert,) = [a for a in await all_alerts(core) if a.reason == "high_loneliness"]
    other = sender(OTHER_VOLUNTEER, "en")
    theirs = await router.handle_command(core.deps, other, "child", "xiaoming")
    nobody = await router.handle_command(core.deps, other, "child", "nobody")
    assert theirs.replies[0].text.replace("xiaoming", "X") == nobody.replies[0].text.replace(
        "nobody", "X"
    )
    forged = await router.handle_button(core.deps, other, f"v:{alert.id}:ack")
    assert forged.edit is None
    listing = await router.handle_command(core.deps, other, "alerts", "")
    assert "xiaoming" not in listing.replies[0].text
    note = await router.handle_command(core.deps, other, "note", "xiaoming hello")
    assert "xiaoming" in note.replies[0].text and "saved" not in note.replies[0].text
    own = await router.handle_command(core.deps, sender(VOLUNTEER, "en"), "child", "xiaoming")
    assert "█" in own.replies[0].text
    async with core.deps.stores.sessions() as session:
        logged = (await session.scalars(select(AccessLog))).all()
    assert [(a.child_id, a.action) for a in logged] == [(child_id, "view_record")]


async def test_a_case_note_keeps_its_line_breaks_and_is_escaped(core, clock):
    await program_with_volunteer(core)
    me = sender(VOLUNTEER, "en")
    typed = "xiaoming\n  Called grandma <b>today</b>.\nVisit on Friday. "
    saved = await router.handle_command(core.deps, me, "note", typed)
    assert "saved" in saved.replies[0].text
    async with core.deps.stores.sessions() as session:
        (note,) = (await session.scalars(select(CaseNote))).all()
    assert note.text == "Called grandma <b>today</b>.\nVisit on Friday."
    record = (await router.handle_command(core.deps, me, "child", "xiaoming")).replies[0].text
    assert "Called grandma &lt;b&gt;today&lt;/b&gt;.\nVisit on Friday." in record
    usage = await router.handle_command(core.deps, me, "note", "xiaoming   ")
    assert "/note" in usage.replies[0].text


async def test_coordinator_sees_every_open_alert_urgent_first(core, clock):
    child_id = await program_with_volunteer(core)
    await very_lonely_twice(core, clock, child_id, mood=2)
    await router.handle_command(core.deps, sender(1001), "sos", "")
    listing = await router.handle_command(core.deps, sender(COORDINATOR, "en"), "alerts", "")
    text = listing.replies[0].text
    assert text.index("🚨") < text.index("⚠️")
    caseload = await router.handle_command(core.deps, sender(COORDINATOR, "en"), "mychildren", "")
    assert "xiaoming" in caseload.replies[0].text


async def test_a_coordinators_caseload_shows_each_childs_own_trend(core, clock):
    """The caseload is read in a few queries for all children; each row must stay its own."""
    ming = await program_with_volunteer(core)
    hong = await enrol_consented_child(core, "xiaohong", child_tg=1002, parent_tg=2002)
    await very_lonely_twice(core, clock, ming)  # an open alert: the level rule's
    await miss_checkin(core, clock, hong)
    caseload = await router.handle_command(core.deps, sender(COORDINATOR, "en"), "mychildren", "")
    text = caseload.replies[0].text
    ming_row, hong_row = text[text.index("<b>xiaoming") :], text[text.index("<b>xiaohong") :]
    assert "██" in ming_row.split("<b>xiaohong")[0] and "open alerts" in text
    assert "(missed)" in hong_row and "█" not in hong_row.split("<b>xiaoming")[0]


async def test_sos_and_help_button_reach_everyone_at_once(core, clock):
    child_id = await program_with_volunteer(core)
    await router.handle_command(core.deps, sender(1001), "sos", "")
    (reply,) = await durable_replies(core, 1001)
    assert "12356" in reply and "110" in reply
    rows = await outbox_rows(core)
    assert alert_rows(rows, VOLUNTEER) and alert_rows(rows, COORDINATOR)
    assert all(r.send_after == clock.now() for r in alert_rows(rows, COORDINATOR))
    checkin = await next_checkin(core, clock, child_id)
    await router.handle_button(core.deps, sender(1001), f"s:{child_id}")
    assert "12356" in (await durable_replies(core, 1001))[-1]
    assert checkin.status == "open"


async def test_silence_retries_then_tasks_the_volunteer(core, clock):
    child_id = await program_with_volunteer(core)
    await answer_checkin(core, clock, child_id, 1001, mood=4, items=(1, 1, 1))
    steps: list[str] = []
    for _ in range(12):
        await miss_checkin(core, clock, child_id)
        if "retry" not in steps and any(
            c.kind == "adhoc" for c in await checkins_of(core, child_id)
        ):
            steps.append("retry")  # a gentle extra check-in went to the child
        if any(a.reason == "silence_task" for a in await all_alerts(core)):
            steps.append("task")
            break
    assert steps == ["retry", "task"]
    rows = await outbox_rows(core)
    assert any("missed several" in r.body["text"] for r in alert_rows(rows, VOLUNTEER))


async def test_with_no_volunteer_the_coordinators_get_the_alert(core, clock):
    await staff(core, Role.COORDINATOR, "Li", COORDINATOR)
    child_id = await enrol_consented_child(core)
    await very_lonely_twice(core, clock, child_id, mood=2)
    assert alert_rows(await outbox_rows(core), COORDINATOR)


async def test_a_concern_raised_at_night_waits_for_the_morning_but_urgent_does_not(core, clock):
    from datetime import UTC, datetime

    child_id = await program_with_volunteer(core)
    for _ in range(8):  # the child's usual first: a level rule waits for it
        await answer_checkin(core, clock, child_id, 1001, mood=4, items=(1, 1, 1))
    await answer_checkin(core, clock, child_id, 1001, mood=2, items=(3, 3, 3))
    checkin = await next_checkin(core, clock, child_id)
    clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))  # 22:00 in Shanghai: quiet hours
    me = sender(1001)
    for step, value in (("mood", 2), ("companionship", 3), ("left_out", 3), ("alone", 3)):
        await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:{value}")
    await router.handle_button(core.deps, me, f"c:{checkin.id}:words:-1")
    (concern,) = alert_rows(await outbox_rows(core), VOLUNTEER)
    assert concern.send_after == datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # 07:30 local
    await router.handle_command(core.deps, me, "sos", "")
    urgent = [r for r in alert_rows(await outbox_rows(core), VOLUNTEER) if r.id != concern.id]
    assert urgent and urgent[0].send_after == clock.now()


async def test_snooze_puts_a_concern_off_and_escalate_reaches_coordinators(core, clock):
    child_id = await program_with_volunteer(core)
    await very_lonely_twice(core, clock, child_id, mood=2)
    (alert,) = await all_alerts(core)
    me = sender(VOLUNTEER, "en")
    clock.set(alert.opened_at + timedelta(hours=20))
    await router.handle_button(core.deps, me, f"v:{alert.id}:snz")
    clock.set(alert.opened_at + timedelta(hours=25))
    assert (await collect_due(core.deps)).escalated == 0  # snoozed for 24 h from the tap
    clock.set(alert.opened_at + timedelta(hours=44, seconds=1))
    assert (await collect_due(core.deps)).escalated == 1
    escalated = await router.handle_button(core.deps, me, f"v:{alert.id}:esc")
    assert escalated.outbox_changed
    assert alert_rows(await outbox_rows(core), COORDINATOR)


async def test_a_forgotten_outcome_note_does_not_swallow_later_text(core, clock):
    child_id = await program_with_volunteer(core)
    await very_lonely_twice(core, clock, child_id, mood=2)
    (alert,) = await all_alerts(core)
    me = sender(VOLUNTEER, "en")
    await router.handle_button(core.deps, me, f"v:{alert.id}:done")
    clock.advance(days=2)
    later = await router.handle_text(core.deps, me, "hello, is the meeting today?")
    assert "closed" not in later.replies[0].text
    (alert,) = await all_alerts(core)
    assert alert.status == "acknowledged"


async def test_an_over_long_outcome_note_is_refused_whole_and_still_awaited(core, clock):
    child_id = await program_with_volunteer(core)
    await very_lonely_twice(core, clock, child_id, mood=2)
    (alert,) = await all_alerts(core)
    me = sender(VOLUNTEER, "en")
    await router.handle_button(core.deps, me, f"v:{alert.id}:ack")
    await router.handle_button(core.deps, me, f"v:{alert.id}:done")
    refused = await router.handle_text(core.deps, me, "x" * 4001)
    assert "at most 4000" in refused.replies[0].text
    async with core.deps.stores.sessions() as session:
        assert (await session.scalars(select(CaseNote))).all() == []
    saved = await router.handle_text(core.deps, me, "Called; all is well.")
    assert "closed" in saved.replies[0].text
