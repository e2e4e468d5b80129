"""Bad input and bad days: each gets a kind answer or a retried action, never a lost tap."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.adapters.db.models import Answer, Checkin, Outbox, Person
from tests.e2e.conftest import Harness, listen
from tests.e2e.test_journey import MONDAY_1730, bootstrap_coordinator, enrol_child


async def _child_with_open_checkin(h: Harness):
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    h.clock.set(MONDAY_1730)
    await h.tick()
    checkin = await child.wait_until(lambda m: "quick check-in" in (m.text or ""))
    return coordinator, child, parent, checkin


async def _answers(h: Harness) -> list[tuple[str, int | None]]:
    async with h.core.deps.stores.sessions() as session:
        rows = (await session.scalars(select(Answer).order_by(Answer.id))).all()
    return [(a.question, a.value) for a in rows]


async def test_stickers_random_text_and_huge_text_mid_checkin(harness: Harness):
    h = harness
    _, child, _, checkin = await _child_with_open_checkin(h)
    waiting = await listen(child)
    await child.send_sticker()
    assert "words, voice messages" in (await waiting).text
    waiting = await listen(child)
    await child.send_text("x" * 4096)
    assert "at the end of a check-in" in (await waiting).text
    waiting = await listen(child)
    await child.send_photo()
    assert "words, voice messages" in (await waiting).text
    assert await _answers(h) == []
    await child.tap_button("😐", checkin.message_id)
    await child.wait_until(lambda m: "2/5" in (m.text or ""))
    assert await _answers(h) == [("mood", 3)]


async def test_double_tap_stale_and_forged_buttons(harness: Harness):
    h = harness
    _, child, parent, checkin = await _child_with_open_checkin(h)
    mood = dict(child.buttons(checkin.message_id))["😄"]
    await child.tap(mood, checkin.message_id)
    await child.tap(mood, checkin.message_id)  # a double tap on a slow phone
    await child.wait_until(lambda m: "2/5" in (m.text or ""))
    # Someone else replays the child's button data in their own chat.
    forged_data = mood.replace(":mood:5", ":companionship:3")
    forged = await parent.tap(forged_data, parent.messages[-1].message_id)
    await _wait_answered(parent, forged)
    garbage = await child.tap("c:not:a:button", checkin.message_id)
    await _wait_answered(child, garbage)
    assert await _answers(h) == [("mood", 5)]
    assert len([a for a in child.callback_answers if a.get("text")]) >= 2


async def test_stale_button_from_an_expired_checkin(harness: Harness):
    h = harness
    _, child, _, checkin = await _child_with_open_checkin(h)
    old = dict(child.buttons(checkin.message_id))["🙂"]
    h.clock.advance(hours=25)
    await h.tick()  # expires it and edits its message to a neutral "closed"
    closed = await child.wait_until(lambda m: "has closed" in (m.text or ""))
    assert closed.message_id == checkin.message_id and not closed.buttons()
    answered = await child.tap(old, checkin.message_id)
    await _wait_answered(child, answered)
    assert await _answers(h) == []
    async with h.core.deps.stores.sessions() as session:
        assert (await session.scalars(select(Checkin))).one().status == "missed"


async def test_restart_in_the_middle_of_a_checkin_loses_no_tap(harness: Harness):
    h = harness
    _, child, _, checkin = await _child_with_open_checkin(h)
    await child.tap_button("😢", checkin.message_id)
    await child.wait_until(lambda m: "2/5" in (m.text or ""))
    await h.restart()
    await child.tap_button("Often", checkin.message_id)
    await child.wait_until(lambda m: "3/5" in (m.text or ""))
    assert await _answers(h) == [("mood", 1), ("companionship", 3)]


async def test_blocked_child_is_marked_unreachable(harness: Harness):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    child, _ = await enrol_child(h, coordinator)
    child.block()
    h.clock.set(MONDAY_1730)
    await h.tick()
    async with h.core.deps.stores.sessions() as session:
        person = (await session.scalars(select(Person).where(Person.telegram_id == 1001))).one()
        row = (await session.scalars(select(Outbox).where(Outbox.kind == "checkin"))).one()
    assert person.unreachable_since is not None and row.status == "failed"
    child.unblock()
    await child.send_command("start")
    await child.wait_for_message()
    async with h.core.deps.stores.sessions() as session:
        person = await session.get(Person, person.id)
    assert person.unreachable_since is None


async def test_429_delays_a_send_and_5xx_is_retried_not_dropped(harness: Harness):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    child, _ = await enrol_child(h, coordinator)
    h.emulator.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    h.clock.set(MONDAY_1730)
    await h.tick()
    first = await child.wait_until(lambda m: "quick check-in" in (m.text or ""), timeout=10)
    assert first is not None
    async with h.core.deps.stores.sessions() as session:
        checkin = (await session.scalars(select(Checkin))).one()
    h.emulator.fail_next("sendMessage", 502, "Bad Gateway", count=2)
    h.clock.set(checkin.remind_at + timedelta(seconds=1))
    await h.tick()  # the reminder meets a 502 and waits for its back-off
    async with h.core.deps.stores.sessions() as session:
        row = (await session.scalars(select(Outbox).where(Outbox.kind == "reminder"))).one()
    assert row.status == "pending" and row.attempts >= 1
    for _ in range(3):
        h.clock.advance(minutes=1)
        await h.tick()
    await child.wait_until(lambda m: "still waiting" in (m.text or ""))


async def _wait_answered(user, query_id: str) -> None:
    from tests.e2e.test_journey import _until

    await _until(lambda: any(a["query_id"] == query_id for a in user.callback_answers))


async def test_an_over_long_note_is_refused_with_its_limit_and_nothing_stored(harness: Harness):
    from bot.adapters.db.models import CaseNote
    from tests.e2e.test_alerts import _with_volunteer

    h = harness
    _coordinator, _child, volunteer = await _with_volunteer(h)
    refused = await h.command(volunteer, "/note xiaoming " + "x" * 4001, "at most")
    assert "4000" in refused.text and "4001" in refused.text
    assert "Nothing was saved" in refused.text
    async with h.core.deps.stores.sessions() as session:
        assert (await session.scalars(select(CaseNote))).all() == []
    kept = await h.command(volunteer, "/note xiaoming " + "y" * 4000, "saved")
    assert "xiaoming" in kept.text
    async with h.core.deps.stores.sessions() as session:
        assert len((await session.scalars(select(CaseNote))).one().text) == 4000
