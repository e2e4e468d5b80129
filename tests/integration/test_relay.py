"""A relayed family message through the real database (SQLite and PostgreSQL): its outbox row
names it in the `relay_id` column, and the send's fate comes back to it and to the parent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.adapters.db.models import Person, Relay
from bot.domain.relay import RETENTION, RelayStatus
from bot.domain.relay_release import UNREACHABLE_RETRY
from bot.services.checkins import delivery
from bot.services.entry import router
from bot.services.family import relay_release
from tests.conftest import SHANGHAI
from tests.helpers import enrol_consented_child, outbox_rows, sender

AFTER_SCHOOL = datetime(2026, 11, 23, 17, 0, tzinfo=SHANGHAI)
PARENT_TG, CHILD_TG = 2001, 1001


async def _letter(core, clock) -> Relay:
    """Mum writes after school: the letter goes straight to the outbox."""
    await enrol_consented_child(core, parent_language="en")
    clock.set(AFTER_SCHOOL)
    outcome = await router.handle_text(core.deps, sender(PARENT_TG, "en"), "Dinner?")
    assert outcome.outbox_changed
    return await _relay(core)


async def _relay(core) -> Relay:
    async with core.deps.stores.sessions() as session:
        return (await session.scalars(select(Relay).order_by(Relay.id))).first()


async def _came_back(core) -> None:
    """The child opened the bot again (as /start does)."""
    async with core.deps.stores.sessions.begin() as session:
        child = await session.scalar(select(Person).where(Person.telegram_id == CHILD_TG))
        assert child.unreachable_since is not None
        child.unreachable_since = None


async def _claim_letter(core):
    (item,) = [d for d in await delivery.claim(core.deps, 50) if d.kind == "relay"]
    return item


async def test_the_outbox_row_names_the_relay_in_its_column_and_delivery_reports_back(core, clock):
    relay = await _letter(core, clock)
    (row,) = [r for r in await outbox_rows(core) if r.kind == "relay"]
    assert row.relay_id == relay.id and "relay_id" not in row.body
    assert row.chat_id == CHILD_TG and "Dinner?" in row.body["text"]

    item = await _claim_letter(core)
    assert item.outgoing.relay_id == relay.id
    await delivery.delivered(core.deps, item, 555)
    relay = await _relay(core)
    assert relay.status == RelayStatus.DELIVERED.value and relay.message_id == 555
    (note,) = [r for r in await outbox_rows(core) if r.kind == "relay_note"]
    assert note.chat_id == PARENT_TG and note.relay_id is None


async def test_a_blocked_child_keeps_the_letter_and_a_refusal_for_good_tells_the_parent(
    core, clock
):
    await _letter(core, clock)
    await delivery.undeliverable(core.deps, await _claim_letter(core), "blocked", blocked=True)
    relay = await _relay(core)
    assert relay.status == RelayStatus.QUEUED.value
    assert relay.deliver_after == AFTER_SCHOOL + UNREACHABLE_RETRY

    clock.set(AFTER_SCHOOL + UNREACHABLE_RETRY + timedelta(hours=12))  # the next afternoon
    assert await relay_release.collect_relays(core.deps) == 0  # still blocked: later again
    await _came_back(core)
    clock.set(clock.now() + UNREACHABLE_RETRY + timedelta(hours=12))
    assert await relay_release.collect_relays(core.deps) == 1
    await delivery.undeliverable(core.deps, await _claim_letter(core), "refused", blocked=False)
    assert (await _relay(core)).status == RelayStatus.FAILED.value
    (note,) = [r for r in await outbox_rows(core) if r.kind == "relay_note"]
    assert note.chat_id == PARENT_TG


async def test_old_letters_are_forgotten_with_their_outbox_copies(core, clock):
    await _letter(core, clock)
    await delivery.delivered(core.deps, await _claim_letter(core), 555)
    clock.set(AFTER_SCHOOL + RETENTION + timedelta(hours=1))
    await relay_release.forget_old_content(core.deps)
    relay = await _relay(core)
    assert relay.text is None and relay.status == RelayStatus.DELIVERED.value
    assert not [r for r in await outbox_rows(core) if r.kind == "relay"]
