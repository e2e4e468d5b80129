"""Leases per message for seconds, the id written first, and the clean-up after a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.adapters.db import outbox_repo
from bot.adapters.db.store import Store
from bot.domain.outgoing import Message, Outgoing, Verb
from bot.services.checkins import delivery
from bot.services.tick import collect_due
from tests.helpers import checkins_of, enrol_consented_child, outbox_rows

MONDAY_1730_UTC = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


async def _round(core, clock, children: int = 1) -> list[int]:
    ids = [
        await enrol_consented_child(core, f"kid{n}", child_tg=1001 + n, parent_tg=2001 + n)
        for n in range(children)
    ]
    clock.set(MONDAY_1730_UTC + timedelta(seconds=5))
    assert (await collect_due(core.deps)).opened == children
    return ids


async def test_a_claim_takes_only_what_was_asked_and_leases_it_for_seconds(core, clock):
    await _round(core, clock, children=3)
    first = await delivery.claim(core.deps, 2)
    assert len(first) == 2
    (rest,) = await delivery.claim(core.deps, 2)  # the third is not held by the first claim
    assert rest.outbox_id not in {item.outbox_id for item in first}
    clock.advance(seconds=outbox_repo.LEASE.total_seconds() - 1)
    assert await delivery.claim(core.deps, 10) == []
    clock.advance(seconds=2)  # a dead sender's messages are due again within seconds
    assert len(await delivery.claim(core.deps, 10)) == 3


async def test_a_live_sender_keeps_its_leases(core, clock):
    await _round(core, clock)
    (item,) = await delivery.claim(core.deps, 10)
    for _ in range(3):
        clock.advance(seconds=outbox_repo.LEASE.total_seconds() - 1)
        await delivery.keep_leases(core.deps, [item.outbox_id])
        assert await delivery.claim(core.deps, 10) == []


async def test_an_id_recorded_before_a_crash_is_not_sent_again(core, clock):
    (child_id,) = await _round(core, clock)
    (item,) = await delivery.claim(core.deps, 10)
    await delivery.record_message_id(core.deps, item, 77)
    clock.advance(seconds=11)  # died before the rest of the bookkeeping
    (again,) = await delivery.claim(core.deps, 10)
    assert again.message_id == 77
    await delivery.delivered(core.deps, again, again.message_id)
    (checkin,) = await checkins_of(core, child_id)
    assert checkin.message_id == 77
    assert not [r for r in await outbox_rows(core) if r.kind == "retire_copy"]


async def test_a_resend_after_a_lost_answer_takes_the_buttons_off_the_stray(core, clock):
    (child_id,) = await _round(core, clock)
    await _recorded_send(core, clock, chat_id=1001, message_id=40)
    (item,) = [i for i in await delivery.claim(core.deps, 10) if i.kind == "checkin"]
    assert item.floor_message_id == 40  # the highest id the bot knew in the chat
    # Telegram sent it as 41 and the process died before hearing so; the child typed 42.
    clock.advance(seconds=11)
    (again,) = await delivery.claim(core.deps, 10)
    assert again.attempts == 2 and again.floor_message_id == 40
    await delivery.delivered(core.deps, again, 43)
    (checkin,) = await checkins_of(core, child_id)
    assert checkin.message_id == 43
    strips = [
        outbox_repo.outgoing_of(r) for r in await outbox_rows(core) if r.kind == "retire_copy"
    ]
    assert [s.verb for s in strips] == [Verb.STRIP_BUTTONS, Verb.STRIP_BUTTONS]
    assert [s.target_message_id for s in strips] == [42, 41]


async def test_a_first_send_disarms_nothing(core, clock):
    await _round(core, clock)
    (item,) = await delivery.claim(core.deps, 10)
    await delivery.delivered(core.deps, item, 45)
    assert not [r for r in await outbox_rows(core) if r.kind == "retire_copy"]


async def test_the_floor_counts_what_the_channel_saw(core, clock):
    await _round(core, clock)
    (item,) = await delivery.claim(core.deps, 10, known={1001: 12}.get)
    assert item.floor_message_id == 12  # a handler's reply the database never recorded


async def _recorded_send(core, clock, chat_id: int, message_id: int) -> None:
    """A message the bot sent earlier in the chat, recorded in the outbox."""
    now = clock.now()
    async with core.deps.stores.sessions.begin() as session:
        (row,) = [r for r in await outbox_rows(core) if r.chat_id == chat_id][:1] or [None]
        person_id = row.person_id
        earlier = Outgoing(
            person_id=person_id,
            chat_id=chat_id,
            kind="notice",
            send_after=now + timedelta(days=1),
            message=Message("earlier"),
        )
        await Store(session).outbox.enqueue(earlier, now)
    async with core.deps.stores.sessions.begin() as session:
        (notice,) = [r for r in await outbox_rows(core) if r.kind == "notice"]
        await Store(session).outbox.mark_sent(notice.id, message_id, now)


async def test_a_claim_above_a_priority_leaves_the_round_and_takes_the_alert(core, clock):
    child_ids = await _round(core, clock, children=2)
    alert = Outgoing(
        person_id=child_ids[0],
        chat_id=1001,
        kind="alert",
        send_after=clock.now(),
        message=Message("alert"),
        priority=1,
        dedupe_key="alert:1",
    )
    async with core.deps.stores.begin() as store:
        await store.outbox.enqueue(alert, clock.now())
    (taken,) = await delivery.claim(core.deps, 10, above=0)
    assert taken.outgoing.priority == 1
    assert len(await delivery.claim(core.deps, 10)) == 2  # the round is still there for later
