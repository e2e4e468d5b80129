"""A program's first week through Telegram: bootstrap, invites, consent, a scheduled check-in."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select

from bot.adapters.db.models import Answer, Checkin, Person
from bot.adapters.db.store import Store
from bot.domain.people import Role
from bot.services.people.enrolment import InviteRequest, create_invite
from tests.e2e.conftest import Harness, invite_code

MONDAY_1730 = datetime(2026, 11, 23, 9, 30, 5, tzinfo=UTC)


async def bootstrap_coordinator(h: Harness, user_id: int = 5001):
    """Do what `python -m bot invite --role coordinator` does; then the coordinator joins."""
    h.core.deps.bot_username = h.bot.application.bot.username
    async with h.core.deps.stores.sessions.begin() as session:
        issued = await create_invite(
            h.core.deps, Store(session), InviteRequest(Role.COORDINATOR, name="Li"), None
        )
    coordinator = h.emulator.user(user_id, first_name="Li", language_code="en")
    welcome = await h.join(coordinator, invite_code(issued.link))
    assert "coordinator" in welcome.text
    return coordinator


async def enrol_child(h: Harness, coordinator, child_id: int = 1001, parent_id: int = 2001):
    made = await h.command(coordinator, "/invite child xiaoming 10-12 grandparents", "t.me")
    child = h.emulator.user(child_id, first_name="Ming", language_code="en")
    await child.send_command("start", invite_code(made.text))
    assent = await child.wait_until(lambda m: bool(m.buttons()))
    assert "Shall we start" in assent.text
    await child.tap_button("OK")
    await child.wait_until(lambda m: "once a parent" in (m.text or ""))
    made = await h.command(coordinator, "/invite parent xiaoming Mum", "t.me")
    parent = h.emulator.user(parent_id, first_name="Mum", language_code="en")
    await parent.send_command("start", invite_code(made.text))
    consent = await parent.wait_until(lambda m: bool(m.buttons()))
    assert "Consent for xiaoming" in consent.text
    await parent.tap_button("Yes")
    status = await parent.wait_until(lambda m: "first one comes" in (m.text or ""))
    assert "5:30" in status.text  # Monday 17:30 in Shanghai, in the parent's language
    return child, parent


async def test_enrol_consent_and_answer_a_scheduled_checkin(harness: Harness):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    child, _ = await enrol_child(h, coordinator)

    await h.tick()  # Monday 10:00: nothing is due
    before = len(child.messages)
    h.clock.set(MONDAY_1730)
    await h.tick()
    checkin = await child.wait_until(lambda m: "quick check-in" in (m.text or ""))
    assert len(child.messages) == before + 1
    assert [label for label, _ in checkin.buttons()] == [
        "😄",
        "🙂",
        "😐",
        "🙁",
        "😢",
        "🆘 I need help",
    ]

    await child.tap_button("🙁", checkin.message_id)
    await child.wait_until(lambda m: "no one to play" in (m.text or ""))
    for position, label in ((3, "Often"), (4, "Sometimes"), (5, "Often")):
        await child.tap_button(label, checkin.message_id)
        await child.wait_until(lambda m, p=position: f"{p}/5" in (m.text or ""))
    words = await child.wait_until(lambda m: "anything you want" in (m.text or ""))
    assert words.message_id == checkin.message_id  # one message, edited in place
    assert any("Skip" in label for label, _ in words.buttons())

    sent = await child.send_text("I miss my mum")
    done = await child.wait_until(lambda m: "See you next time" in (m.text or ""))
    assert done.message_id == checkin.message_id and not done.buttons()
    assert "miss" not in done.text  # nothing of the answers lingers on a shared phone
    await _until(lambda: _deleted(child, sent["message"]["message_id"]))
    assert len(child.callback_answers) >= 4

    async with h.core.deps.stores.sessions() as session:
        stored = (await session.scalars(select(Checkin))).one()
        answers = {a.question: a for a in (await session.scalars(select(Answer))).all()}
    assert stored.status == "completed" and stored.score == 8
    assert answers["mood"].value == 2 and answers["words"].text == "I miss my mum"


async def test_help_language_and_pause(harness: Harness):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    child, _ = await enrol_child(h, coordinator)
    helped = await h.command(child, "/help", "/pause")
    assert "/invite" not in helped.text
    staff_help = await h.command(coordinator, "/help", "/invite")
    assert "/checkin_now" in staff_help.text
    await h.command(child, "/language")
    await child.tap_button("中文")
    await child.wait_until(lambda m: "语言" in (m.text or ""))  # the language note, in Chinese
    paused = await h.command(child, "/pause", "/resume")
    assert "/resume" in paused.text
    h.clock.set(MONDAY_1730)
    await h.tick()
    await asyncio.sleep(0.2)
    async with h.core.deps.stores.sessions() as session:
        assert (await session.scalars(select(Checkin))).all() == []


async def _until(condition, seconds: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def _deleted(user, message_id: int) -> bool:
    found = user.find(message_id)
    return found is not None and found.deleted


async def test_unknown_people_learn_nothing(harness: Harness):
    stranger = harness.emulator.user(7777, language_code="en")
    first = await harness.command(stranger, "/start")
    wrong = await harness.command(stranger, "/start AAAAAAAAAAAAAAAAAAAAAA")
    other = await harness.command(stranger, "/invite child x 7-9 other")
    assert "invite link" in first.text and first.text == other.text
    assert "does not work" in wrong.text
    async with harness.core.deps.stores.sessions() as session:
        assert (await session.scalars(select(Person))).all() == []
