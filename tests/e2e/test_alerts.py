"""Alerts through Telegram: drift to the volunteer, escalation, and the crisis path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.adapters.db.models import Alert, CaseNote, ChildProfile
from bot.emulator import BotAPIEmulator, EmulatorLimits
from tests.e2e.conftest import Harness, invite_code, listen
from tests.e2e.test_journey import bootstrap_coordinator, enrol_child

HAPPY = "\U0001f604"


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    """A looser per-chat flood limit (as in test_drift_alert): ten check-ins of six edits each
    would otherwise mostly wait on 429s."""
    limits = EmulatorLimits(per_chat_per_second=200, per_chat_burst=200)
    async with BotAPIEmulator(limits=limits) as emu:
        yield emu


async def _with_volunteer(h: Harness):
    coordinator = await bootstrap_coordinator(h)
    child, _parent = await enrol_child(h, coordinator)
    made = await h.command(coordinator, "/invite volunteer xiaoming Wang", "t.me")
    volunteer = h.emulator.user(3001, first_name="Wang", language_code="en")
    await h.join(volunteer, invite_code(made.text))
    return coordinator, child, volunteer


async def _answer_next(
    h: Harness, child, items: tuple[str, str, str], face: str = "\U0001f622"
) -> None:
    async with h.core.deps.stores.sessions() as session:
        due = (await session.scalars(select(ChildProfile))).one().next_checkin_at
    h.clock.set(due + timedelta(seconds=1))
    await h.tick()
    checkin = await child.wait_until(
        lambda m: "quick check-in" in (m.text or "") and bool(m.buttons()) and not m.deleted
    )
    await child.tap_button(face, checkin.message_id)
    for position, label in zip((3, 4, 5), items, strict=True):
        await child.wait_until(lambda m, p=position - 1: f"{p}/5" in (m.text or ""))
        await child.tap_button(label, checkin.message_id)
    await child.wait_until(lambda m: "5/5" in (m.text or ""))
    await child.tap_button("Skip", checkin.message_id)
    await child.wait_until(lambda m: "See you next time" in (m.text or "") and not m.buttons())


async def _usual_first(h: Harness, child) -> None:
    """Eight calm, happy check-ins: a level rule speaks only once the child's usual is known."""
    for _ in range(8):
        await _answer_next(h, child, ("Hardly ever",) * 3, face=HAPPY)


async def test_saddest_faces_reach_the_volunteer_who_acknowledges_and_notes(harness):
    """Two saddest faces in a row raise the low-mood concern (the drift path, many check-ins
    long, is tests/e2e/test_drift_alert.py)."""
    h = harness
    _coordinator, child, volunteer = await _with_volunteer(h)
    await _usual_first(h, child)
    await _answer_next(h, child, ("Often", "Often", "Sometimes"))
    await _answer_next(h, child, ("Often", "Often", "Often"))
    alert = await volunteer.wait_until(
        lambda m: "xiaoming" in (m.text or "") and bool(m.buttons())
    )
    assert "Next step" in alert.text and "Since" in alert.text
    await volunteer.tap_button("Acknowledge", alert.message_id)
    await volunteer.wait_until(lambda m: "Acknowledged" in (m.text or ""))
    saved = await h.command(volunteer, "/note xiaoming Called grandma; all fine.", "saved")
    assert "xiaoming" in saved.text
    async with h.core.deps.stores.sessions() as session:
        assert (await session.scalars(select(CaseNote))).one().text == "Called grandma; all fine."
        alert_row = (await session.scalars(select(Alert))).first()
        assert alert_row.status == "acknowledged" and alert_row.reason == "low_mood"
    record = await h.command(volunteer, "/child xiaoming", "Latest notes")
    assert "Called grandma" in record.text


async def test_unacknowledged_alert_escalates_to_the_coordinator(harness):
    h = harness
    coordinator, child, volunteer = await _with_volunteer(h)
    await _usual_first(h, child)
    await _answer_next(h, child, ("Often", "Often", "Often"))
    await _answer_next(h, child, ("Often", "Often", "Often"))
    await volunteer.wait_until(lambda m: "xiaoming" in (m.text or "") and bool(m.buttons()))
    async with h.core.deps.stores.sessions() as session:
        alert = (await session.scalars(select(Alert))).first()
    h.clock.set(alert.escalate_at + timedelta(seconds=1))
    await h.tick()
    escalated = await coordinator.wait_until(lambda m: "Not yet acknowledged" in (m.text or ""))
    assert "xiaoming" in escalated.text and escalated.buttons()


async def test_crisis_words_reach_everyone_at_once_and_the_child_gets_hotlines(harness):
    h = harness
    coordinator, child, volunteer = await _with_volunteer(h)
    await child.send_text("我不想活了")
    reply = await child.wait_until(lambda m: "12356" in (m.text or ""))
    assert "12355" in reply.text
    for staff in (volunteer, coordinator):
        alert = await staff.wait_until(lambda m: "URGENT" in (m.text or ""))
        assert "xiaoming" in alert.text and "我不想活了" in alert.text
    sos = await listen(child, lambda m: "12356" in (m.text or ""))
    await child.send_text("/sos")
    await sos


async def test_refused_buttons_read_alike_in_the_readers_language(harness):
    """An English volunteer replaying alert data for an alert that is not theirs, and data
    that does not decode at all, get the same English toast: nothing tells them apart."""
    h = harness
    _coordinator, _child, volunteer = await _with_volunteer(h)
    chat_message = volunteer.messages[-1].message_id
    forged = await volunteer.tap("v:999:ack", chat_message)
    garbled = await volunteer.tap("v:not-an-alert", chat_message)
    stranger = h.emulator.user(4001, first_name="Probe", language_code="en")
    await h.command(stranger, "/start")  # a message to press on: strangers get no keyboard
    probing = await stranger.tap("v:1:ack", stranger.messages[-1].message_id)
    for user, query in ((volunteer, forged), (volunteer, garbled), (stranger, probing)):
        await _until_answered(user, query)
    toasts = [
        a["text"]
        for user, query in ((volunteer, forged), (volunteer, garbled), (stranger, probing))
        for a in user.callback_answers
        if a["query_id"] == query
    ]
    assert toasts == ["This button no longer works."] * 3


async def test_the_try_again_notice_is_in_the_readers_language(harness, monkeypatch):
    from bot.services.entry import router

    h = harness
    _coordinator, _child, volunteer = await _with_volunteer(h)

    async def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(router, "handle_command", broken)
    sorry = await h.command(volunteer, "/alerts", "try again")
    assert sorry.text == "Something went wrong. Please try again in a moment."


async def _until_answered(user, query_id: str) -> None:
    from tests.e2e.test_journey import _until

    await _until(lambda: any(a["query_id"] == query_id for a in user.callback_answers))
