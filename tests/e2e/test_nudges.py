"""Contact nudges through Telegram: a silent parent is nudged after the cadence, then not again
until the back-off; the nudge's buttons; a parent's own settings."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.adapters.db.models import ContactPlan
from tests.e2e.conftest import Harness
from tests.e2e.test_journey import bootstrap_coordinator, enrol_child

NUDGE = "A moment for xiaoming?"


def _nudges(user) -> list:
    return [m for m in user.messages if NUDGE in (m.text or "")]


async def _tick_at(h: Harness, moment) -> None:
    h.clock.set(moment)
    await h.tick()
    await asyncio.sleep(0.05)


async def test_a_silent_parent_is_nudged_after_the_cadence_and_not_again_until_the_back_off(
    harness: Harness,
):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    _child, parent = await enrol_child(h, coordinator)
    async with h.core.deps.stores.sessions() as session:
        first_due = (await session.scalars(select(ContactPlan))).one().next_nudge_at
    assert first_due == h.clock.now() + timedelta(days=7)  # the default weekly cadence

    await _tick_at(h, first_due - timedelta(minutes=1))
    assert _nudges(parent) == []
    await _tick_at(h, first_due)
    nudge = await parent.wait_until(lambda m: NUDGE in (m.text or ""))
    labels = [label for label, _ in nudge.buttons()]
    assert labels == ["✍️ Write to xiaoming", "Stop these reminders"]
    assert "voice message" in nudge.text

    # Ignored: a week later (the cadence) nothing comes, only after the back-off (two weeks).
    await _tick_at(h, first_due + timedelta(days=7))
    await _tick_at(h, first_due + timedelta(days=14) - timedelta(minutes=1))
    assert len(_nudges(parent)) == 1
    await _tick_at(h, first_due + timedelta(days=14))
    await parent.wait_until(lambda m: len(_nudges(parent)) == 2)
    first, second = _nudges(parent)
    assert first.text != second.text  # another conversation starter
    # And then four weeks (the cap), not two.
    await _tick_at(h, first_due + timedelta(days=14 + 27))
    assert len(_nudges(parent)) == 2
    await _tick_at(h, first_due + timedelta(days=14 + 28))
    await parent.wait_until(lambda m: len(_nudges(parent)) == 3)

    await parent.tap_button("Write to xiaoming", second.message_id)
    hint = await parent.wait_until(lambda m: "right here in this chat" in (m.text or ""))
    assert "xiaoming" in hint.text
    await parent.tap_button("Stop these reminders", second.message_id)
    await parent.wait_until(lambda m: "Reminders are off" in (m.text or ""))
    await _tick_at(h, first_due + timedelta(days=200))
    assert len(_nudges(parent)) == 3


async def test_a_parent_abroad_sets_timezone_and_work_hours(harness: Harness):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    _child, parent = await enrol_child(h, coordinator)
    shown = await h.command(parent, "/timezone", "time zone")
    assert "Asia/Shanghai" in shown.text
    wrong = await h.command(parent, "/timezone Madrid", "do not know")
    assert "Europe/Madrid" in wrong.text
    changed = await h.command(parent, "/timezone Europe/Madrid", "now Europe/Madrid")
    assert "3:00" in changed.text  # Monday 10:00 in Shanghai is 03:00 in Madrid
    hours = await h.command(parent, "/workhours mon-sat 08:00-20:00", "Saved")
    assert "mon-sat 08:00-20:00" in hours.text and "7:30" in hours.text  # free at 07:30 Madrid
    helped = await h.command(parent, "/help", "/workhours")
    assert "/reminders" in helped.text and "/visit" in helped.text and "/invite" not in helped.text
