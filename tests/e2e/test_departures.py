"""Around departures through Telegram: recorded visit dates add extra check-ins for the child in
the days after the parent leaves, and an extra nudge for the parent."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select

from bot.adapters.db.models import Checkin
from tests.e2e.conftest import Harness
from tests.e2e.test_journey import bootstrap_coordinator, enrol_child

# Shanghai is UTC+8: 17:30 there is 09:30 UTC.
TUESDAY_1730 = datetime(2026, 11, 24, 9, 30, 5, tzinfo=UTC)
TUESDAY_1800 = datetime(2026, 11, 24, 10, 0, 5, tzinfo=UTC)
THURSDAY_1730 = datetime(2026, 11, 26, 9, 30, 5, tzinfo=UTC)


async def test_departure_dates_add_the_extra_check_ins(harness: Harness):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    # The parent was home for a week and leaves today, Monday 23 November.
    noted = await h.command(parent, "/visit 2026-11-16 2026-11-23", "Noted")
    assert "extra short check-ins" in noted.text and "remind you" in noted.text

    # Tuesday is not a check-in day (Mon/Wed/Fri); the day after the departure brings one.
    h.clock.set(TUESDAY_1730)
    await h.tick()
    extra = await child.wait_until(lambda m: "quick check-in" in (m.text or ""))
    assert any("😄" in label for label, _ in extra.buttons())
    assert "1/2" in extra.text  # a light one: a face and an optional word
    h.clock.set(TUESDAY_1800)
    await h.tick()
    nudge = await parent.wait_until(lambda m: "first days after you leave" in (m.text or ""))
    assert "xiaoming" in nudge.text

    # Thursday (day 3) brings another; the child answers it: a face, then a word or Skip.
    h.clock.set(THURSDAY_1730)
    await h.tick()
    second = await child.wait_until(
        lambda m: "quick check-in" in (m.text or "") and m.message_id != extra.message_id
    )
    assert "closed" in (child.find(extra.message_id).text or "")  # day 1's ended meanwhile
    await child.tap_button("🙂", second.message_id)
    await child.wait_until(lambda m: "2/2" in (m.text or ""))
    await child.tap_button("Skip", second.message_id)
    await child.wait_until(lambda m: "See you next time" in (m.text or ""))
    await asyncio.sleep(0.05)

    async with h.core.deps.stores.sessions() as session:
        kinds = [c.kind for c in (await session.scalars(select(Checkin).order_by(Checkin.id)))]
    assert kinds == ["follow_up", "follow_up"]
    async with h.core.deps.stores.sessions() as session:
        answered = (await session.scalars(select(Checkin).order_by(Checkin.id))).all()[-1]
    assert answered.status == "completed" and answered.score is None  # mood only

    # Recording the same visit again adds nothing.
    again = await h.command(parent, "/visit 2026-11-16 2026-11-23", "Updated")
    assert "xiaoming" in again.text
