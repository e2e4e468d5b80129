"""Scheduled check-ins through the core: due collection, taps, words, reminders and expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.adapters.db import outbox_repo
from bot.adapters.db.models import Answer, ChildProfile
from bot.domain.outgoing import Verb
from bot.services.checkins import delivery
from bot.services.entry import router
from bot.services.tick import collect_due
from tests.helpers import checkins_of, enrol_consented_child, outbox_rows, sender

MONDAY_1730_UTC = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


async def _due_checkin(core, clock):
    child_id = await enrol_consented_child(core)
    clock.set(MONDAY_1730_UTC + timedelta(seconds=5))
    report = await collect_due(core.deps)
    assert report.opened == 1
    (checkin,) = await checkins_of(core, child_id)
    return child_id, checkin


async def _deliver_all(core) -> None:
    """Pretend the channel sent every due outbox row (as message id 100 + outbox id)."""
    for item in await delivery.claim(core.deps, 100):
        await delivery.delivered(core.deps, item, 100 + item.outbox_id)


async def test_nothing_is_due_before_its_time_and_nothing_twice(core, clock):
    child_id = await enrol_consented_child(core)
    clock.set(MONDAY_1730_UTC - timedelta(minutes=1))
    assert (await collect_due(core.deps)).opened == 0
    clock.set(MONDAY_1730_UTC)
    assert (await collect_due(core.deps)).opened == 1
    assert (await collect_due(core.deps)).opened == 0
    rows = [r for r in await outbox_rows(core) if r.kind == "checkin"]
    assert len(rows) == 1 and rows[0].chat_id == 1001
    async with core.deps.stores.sessions() as session:
        profile = await session.get(ChildProfile, child_id)
    # Next one on Wednesday 17:30 Shanghai.
    assert profile.next_checkin_at == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


async def test_a_full_checkin_stores_each_tap_and_scores(core, clock):
    child_id, checkin = await _due_checkin(core, clock)
    await _deliver_all(core)
    me = sender(1001)
    steps = [("mood", 2), ("companionship", 3), ("left_out", 2), ("alone", 3)]
    for step, value in steps:
        outcome = await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:{value}")
        assert outcome.edit is not None and outcome.toast
    words = await router.handle_text(core.deps, me, "I miss my mum <3")
    assert words.delete_incoming and words.edit_message_id is not None
    assert "miss" not in words.edit.text and not words.edit.buttons
    (done,) = await checkins_of(core, child_id)
    assert done.status == "completed" and done.score == 8
    async with core.deps.stores.sessions() as session:
        answers = {a.question: a for a in (await session.scalars(select(Answer))).all()}
    assert answers["mood"].value == 2 and answers["words"].text == "I miss my mum <3"


async def test_double_tap_stale_button_and_forgery(core, clock):
    _, checkin = await _due_checkin(core, clock)
    me = sender(1001)
    first = await router.handle_button(core.deps, me, f"c:{checkin.id}:mood:4")
    second = await router.handle_button(core.deps, me, f"c:{checkin.id}:mood:1")
    assert first.edit is not None and second.toast != first.toast
    assert second.edit == first.edit  # the stale screen is brought to the current step
    forged = await router.handle_button(core.deps, sender(4242), f"c:{checkin.id}:companionship:3")
    missing = await router.handle_button(core.deps, me, "c:999999:companionship:3")
    garbage = await router.handle_button(core.deps, me, "c:abc")
    assert forged.edit is None and missing.edit is None and garbage.edit is None
    bad_value = await router.handle_button(core.deps, me, f"c:{checkin.id}:companionship:7")
    assert bad_value.edit is None
    async with core.deps.stores.sessions() as session:
        stored = (await session.scalars(select(Answer))).all()
    assert [(a.question, a.value) for a in stored] == [("mood", 4)]


async def test_skip_the_words_step(core, clock):
    child_id, checkin = await _due_checkin(core, clock)
    me = sender(1001)
    for step in ("mood", "companionship", "left_out", "alone"):
        await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:1")
    skipped = await router.handle_button(core.deps, me, f"c:{checkin.id}:words:-1")
    assert skipped.edit is not None and not skipped.edit.buttons
    (done,) = await checkins_of(core, child_id)
    assert done.status == "completed" and done.score == 3


async def test_text_mid_checkin_is_not_taken_as_words(core, clock):
    child_id, _ = await _due_checkin(core, clock)
    reply = await router.handle_text(core.deps, sender(1001), "hello?")
    assert reply.replies and not reply.delete_incoming
    (open_one,) = await checkins_of(core, child_id)
    assert open_one.step == "mood"


async def test_reminder_once_then_missed_with_message_closed(core, clock):
    child_id, checkin = await _due_checkin(core, clock)
    await _deliver_all(core)
    clock.advance(hours=3)  # 20:30 local: still before quiet hours
    assert (await collect_due(core.deps)).reminded == 1
    assert (await collect_due(core.deps)).reminded == 0
    await _deliver_all(core)
    clock.set(MONDAY_1730_UTC + timedelta(hours=24, seconds=10))
    report = await collect_due(core.deps)
    assert report.closed == 1
    (missed, *_) = await checkins_of(core, child_id)
    assert missed.status == "missed"
    closing = [r for r in await outbox_rows(core) if r.kind == "checkin_closed"]
    reminder = next(r for r in await outbox_rows(core) if r.kind == "reminder")
    closed = outbox_repo.outgoing_of(closing[0])
    assert closed.verb == Verb.EDIT
    assert closed.target_message_id == 100 + reminder.id  # the newest copy
    late = await router.handle_button(core.deps, sender(1001), f"c:{checkin.id}:mood:3")
    assert late.edit is not None and not late.edit.buttons


async def test_partly_answered_checkin_ends_incomplete(core, clock):
    child_id, checkin = await _due_checkin(core, clock)
    await router.handle_button(core.deps, sender(1001), f"c:{checkin.id}:mood:3")
    clock.advance(hours=25)
    await collect_due(core.deps)
    assert (await checkins_of(core, child_id))[0].status == "incomplete"


async def test_bot_down_for_a_whole_window_sends_no_stale_backlog(core, clock):
    await enrol_consented_child(core)
    clock.set(MONDAY_1730_UTC + timedelta(days=2, hours=1))  # Wednesday 18:30 local
    report = await collect_due(core.deps)
    assert report.opened == 0 and report.skipped_late == 1
    clock.set(datetime(2026, 11, 25, 9, 30, tzinfo=UTC) + timedelta(days=2))  # Friday 17:30
    assert (await collect_due(core.deps)).opened == 1


async def test_pause_cancels_untouched_checkin_and_resume_reschedules(core, clock):
    child_id, _ = await _due_checkin(core, clock)
    paused = await router.handle_command(core.deps, sender(1001), "pause", "")
    assert paused.replies
    assert (await checkins_of(core, child_id))[0].status == "cancelled"
    clock.advance(days=3)
    assert (await collect_due(core.deps)).opened == 0
    resumed = await router.handle_command(core.deps, sender(1001), "resume", "")
    assert resumed.replies
    async with core.deps.stores.sessions() as session:
        assert (await session.get(ChildProfile, child_id)).next_checkin_at is not None


async def test_checkin_now_in_school_hours_waits_for_the_bell(core, clock):
    from bot.domain.people import Role
    from bot.services.people.enrolment import InviteRequest
    from tests.helpers import invite

    coordinator = await invite(core, InviteRequest(Role.COORDINATOR, name="Li"))
    await router.handle_start(core.deps, sender(5001), coordinator)
    child_id = await enrol_consented_child(core)
    await enrol_consented_child(core, "xiaohong", child_tg=1002, parent_tg=2002)
    await invite(
        core, InviteRequest(Role.CHILD, name="notyet", age_band="7-9", guardianship="other")
    )
    result = await router.handle_command(core.deps, sender(5001), "checkin_now", "all")
    assert result.due_now and "2" in result.replies[0].text and "1" in result.replies[0].text
    assert await checkins_of(core, child_id) == []  # the tick opens it, in batches
    assert (await collect_due(core.deps)).opened == 2
    assert (await collect_due(core.deps)).opened == 0
    (adhoc,) = await checkins_of(core, child_id)
    assert adhoc.kind == "adhoc"
    row = next(r for r in await outbox_rows(core) if r.kind == "checkin")
    assert row.send_after == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 16:30 local
    await router.handle_command(core.deps, sender(5001), "checkin_now", "xiaoming")
    report = await collect_due(core.deps)
    assert report.opened == 0 and report.skipped_open == 1  # the open one is kept


async def test_blocked_child_is_marked_unreachable_and_start_clears_it(core, clock):
    child_id, _ = await _due_checkin(core, clock)
    (item,) = await delivery.claim(core.deps, 10)
    await delivery.undeliverable(core.deps, item, "Forbidden: bot was blocked by the user", True)
    async with core.deps.stores.sessions() as session:
        from bot.adapters.db.models import Person

        assert (await session.get(Person, child_id)).unreachable_since is not None
    await router.handle_start(core.deps, sender(1001), None)
    async with core.deps.stores.sessions() as session:
        assert (await session.get(Person, child_id)).unreachable_since is None


async def test_rate_limited_send_waits_and_is_not_lost(core, clock):
    await _due_checkin(core, clock)
    (item,) = await delivery.claim(core.deps, 10)
    await delivery.retry_later(core.deps, item, 7, "429")
    assert await delivery.claim(core.deps, 10) == []
    clock.advance(seconds=8)
    (again,) = await delivery.claim(core.deps, 10)
    assert again.outbox_id == item.outbox_id and again.attempts == 2


async def test_crash_mid_send_is_resent_after_the_lease(core, clock):
    await _due_checkin(core, clock)
    (item,) = await delivery.claim(core.deps, 10)
    assert await delivery.claim(core.deps, 10) == []  # leased
    clock.advance(minutes=6)
    (again,) = await delivery.claim(core.deps, 10)
    assert again.outbox_id == item.outbox_id


async def test_coordinator_sets_a_childs_own_schedule(core, clock):
    from bot.domain.people import Role
    from bot.services.people.enrolment import InviteRequest
    from tests.helpers import invite

    coordinator = await invite(core, InviteRequest(Role.COORDINATOR, name="Li"))
    await router.handle_start(core.deps, sender(5001), coordinator)
    child_id = await enrol_consented_child(core)
    clash = await router.handle_command(
        core.deps, sender(5001), "schedule", "xiaoming mon-fri 10:00"
    )
    assert "mon" in clash.replies[0].text
    done = await router.handle_command(core.deps, sender(5001), "schedule", "xiaoming sat 09:30")
    assert "sat 09:30" in done.replies[0].text
    async with core.deps.stores.sessions() as session:
        profile = await session.get(ChildProfile, child_id)
    assert profile.next_checkin_at == datetime(2026, 11, 28, 1, 30, tzinfo=UTC)


async def test_voice_note_on_the_words_step(core, clock):
    child_id, checkin = await _due_checkin(core, clock)
    me = sender(1001)
    for step in ("mood", "companionship", "left_out", "alone"):
        await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:2")
    outcome = await router.handle_voice(core.deps, me, "voice-file-1")
    assert outcome.edit is not None and outcome.delete_incoming
    async with core.deps.stores.sessions() as session:
        words = (await session.scalars(select(Answer).where(Answer.question == "words"))).one()
    assert words.file_id == "voice-file-1" and words.text is None
    assert (await checkins_of(core, child_id))[0].status == "completed"


async def test_siblings_on_one_phone_words_go_only_to_the_replied_checkin(core, clock):
    first = await enrol_consented_child(core, "xiaoming", child_tg=1001)
    await enrol_consented_child(core, "xiaohong", child_tg=1001, parent_tg=2002)
    clock.set(MONDAY_1730_UTC)
    assert (await collect_due(core.deps)).opened == 2
    await _deliver_all(core)
    me = sender(1001)
    both = await _open_checkins(core)
    for checkin in both:
        for step in ("mood", "companionship", "left_out", "alone"):
            await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:2")
    unclear = await router.handle_text(core.deps, me, "hello")
    assert unclear.replies and not unclear.delete_incoming
    target = next(c for c in both if c.child_id != first)
    clear = await router.handle_text(core.deps, me, "for xiaohong", reply_to=target.message_id)
    assert clear.delete_incoming and clear.edit_message_id == target.message_id
    assert (await checkins_of(core, first))[0].status == "open"
    async with core.deps.stores.sessions() as session:
        words = (await session.scalars(select(Answer).where(Answer.question == "words"))).one()
    assert words.checkin_id == target.id


async def _open_checkins(core):
    from bot.adapters.db.models import Checkin

    async with core.deps.stores.sessions() as session:
        return list((await session.scalars(select(Checkin).order_by(Checkin.id))).all())


async def test_an_extra_ask_still_open_ends_when_the_scheduled_checkin_opens(core, clock):
    """Two check-ins never overlap: the scheduled one, which silence is counted on, goes out,
    and the extra ask (a silence retry or a coordinator's, opened the day before) lapses."""
    child_id = await enrol_consented_child(core)
    clock.set(MONDAY_1730_UTC - timedelta(hours=23))  # Sunday 18:30 in Shanghai
    async with core.deps.stores.sessions.begin() as session:
        (await session.get(ChildProfile, child_id)).adhoc_requested_at = clock.now()
    assert (await collect_due(core.deps)).opened == 1
    await _deliver_all(core)  # the extra ask reached the child's chat
    clock.set(MONDAY_1730_UTC)  # the extra ask is open until Monday 18:30
    report = await collect_due(core.deps)
    assert report.opened == 1 and report.skipped_open == 0
    extra, scheduled = await checkins_of(core, child_id)
    assert (extra.kind, extra.status) == ("adhoc", "missed")
    assert (scheduled.kind, scheduled.status) == ("scheduled", "open")
    closed = [r for r in await outbox_rows(core) if r.kind == "checkin_closed"]
    assert [r.checkin_id for r in closed] == [extra.id]  # its buttons are retired
