"""What a person's action sets going: the outbox only, never the collection of due work.

Collecting (a 10,000-child round, every family step) is the repeating tick's job; a tap or a
message that queued an alert only wakes the sender, so the alert never waits behind a round
(issue 11). A coordinator's "check-in now" asks for due work, so it brings the tick forward.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.telegram import app as bot_app
from tests.e2e.conftest import listen
from tests.e2e.test_alerts import _with_volunteer


@pytest.fixture
def collections(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every run of `collect_due` by the bot (its job's first run, 0.1 s after the
    start, falls during a test's set-up: compare counts from after it)."""
    runs: list[int] = []
    real = bot_app.collect_due

    async def counted(deps):  # type: ignore[no-untyped-def]
        runs.append(1)
        return await real(deps)

    monkeypatch.setattr(bot_app, "collect_due", counted)
    return runs


async def test_a_crisis_message_wakes_only_the_outbox(harness, collections):
    h = harness
    _coordinator, child, volunteer = await _with_volunteer(h)
    collected = len(collections)
    urgent = await listen(volunteer, lambda m: "URGENT" in (m.text or ""), seconds=10)
    hotlines = await listen(child, lambda m: "12356" in (m.text or ""), seconds=10)
    await child.send_text("I want to kill myself")
    await urgent
    await hotlines
    await asyncio.sleep(0.5)  # time for anything the message set going to have started
    assert len(collections) == collected


async def test_a_tap_that_raises_an_alert_wakes_only_the_outbox(harness, collections):
    h = harness
    _coordinator, child, volunteer = await _with_volunteer(h)
    h.clock.set(h.clock.now().replace(hour=9))  # 17:00 in Shanghai, after school
    await h.command(_coordinator, "/checkin_now xiaoming")
    await h.tick()
    checkin = await child.wait_until(lambda m: "🆘" in str(m.buttons()))
    collected = len(collections)
    urgent = await listen(volunteer, lambda m: "URGENT" in (m.text or ""), seconds=10)
    await child.tap_button("🆘", checkin.message_id)
    await urgent
    await asyncio.sleep(0.5)
    assert len(collections) == collected


async def test_check_in_now_brings_the_tick_forward(harness, collections):
    h = harness
    coordinator, child, _volunteer = await _with_volunteer(h)
    h.clock.set(h.clock.now().replace(hour=9))
    collected = len(collections)
    checkin = await listen(child, lambda m: "🆘" in str(m.buttons()), seconds=10)
    await h.command(coordinator, "/checkin_now xiaoming")
    await checkin  # no h.tick(): the bot ran its tick itself
    assert len(collections) == collected + 1
