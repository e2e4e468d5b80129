"""The drain keeps its pipe full and lets a wake in at once: an urgent item queued while a
round is in flight goes out before that round's messages land (issue 11, one outbound path)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace

from bot.adapters.db import outbox_repo
from bot.adapters.db.store import Store
from bot.domain.outgoing import Message, Outgoing
from bot.telegram.outbox_sender import OutboxSender
from tests.helpers import enrol_consented_child, outbox_rows

ROUND, PIPE = 12, 4


class SlowRoundBot:
    """Round messages wait until released (Telegram at its limit); others go at once."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.waiting = 0
        self.sent: list[str] = []

    async def send_message(self, chat_id, text, **kwargs):
        if text.startswith("round"):
            self.waiting += 1
            await self.release.wait()
            self.waiting -= 1
        self.sent.append(text)
        return SimpleNamespace(message_id=1000 + len(self.sent))


async def _queue(core, person_id: int, text: str, chat_id: int, priority: int = 0) -> None:
    now = core.deps.clock.now()
    item = Outgoing(
        person_id=person_id,
        chat_id=chat_id,
        kind="alert" if priority else "notice",
        send_after=now - timedelta(seconds=1),
        message=Message(text),
        priority=priority,
    )
    async with core.deps.stores.sessions.begin() as session:
        await Store(session).outbox.enqueue(item, now)


async def _until(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not within the time allowed")


async def test_a_wake_sends_the_urgent_item_while_the_round_is_still_in_flight(core):
    person = await enrol_consented_child(core)
    for n in range(ROUND):
        await _queue(core, person, f"round {n}", chat_id=5000 + n)
    bot = SlowRoundBot()
    sender = OutboxSender(core.deps, bot, concurrency=PIPE)  # type: ignore[arg-type]
    draining = asyncio.create_task(sender.drain())
    await _until(lambda: bot.waiting == PIPE)  # the pipe is full and nothing has landed

    await _queue(core, person, "URGENT", chat_id=3001, priority=2)
    assert await sender.drain(wait=False) == 0  # a tap's wake: the running drain claims it
    await _until(lambda: "URGENT" in bot.sent)
    assert bot.sent == ["URGENT"]  # not one of the round's messages has landed yet
    assert PIPE <= bot.waiting <= 2 * PIPE  # a wake may overfill the pipe, boundedly

    bot.release.set()
    assert await asyncio.wait_for(draining, 10) == ROUND + 1
    assert sorted(bot.sent[1:]) == sorted(f"round {n}" for n in range(ROUND))
    assert {row.status for row in await outbox_rows(core)} == {outbox_repo.SENT}


async def test_a_drain_asked_to_wait_returns_only_when_the_running_one_is_done(core):
    """The repeating tick waits for what is queued to go out; a wake does not."""
    person = await enrol_consented_child(core)
    await _queue(core, person, "round 0", chat_id=5000)
    bot = SlowRoundBot()
    sender = OutboxSender(core.deps, bot, concurrency=PIPE)  # type: ignore[arg-type]
    first = asyncio.create_task(sender.drain(wait=False))
    await _until(lambda: bot.waiting == 1)
    second = asyncio.create_task(sender.drain(wait=True))
    await asyncio.sleep(0.1)
    assert not second.done()
    bot.release.set()
    assert await asyncio.wait_for(first, 5) == 1
    assert await asyncio.wait_for(second, 5) == 0  # nothing left for it to send


def test_a_wake_into_an_overfull_pipe_claims_nothing_more():
    sender = OutboxSender(None, None, concurrency=32)  # type: ignore[arg-type]
    assert sender._room(0, woken=False) == 32
    assert sender._room(30, woken=False) == 0  # refilled in handfuls (8), not one by one
    assert sender._room(24, woken=False) == 8
    assert sender._room(32, woken=True) == 8  # a wake claims even into a full pipe
    assert sender._room(60, woken=True) == 4  # never past twice the pipe
    assert sender._room(67, woken=True) == 0  # and never a negative LIMIT


def test_a_wake_into_a_pipe_at_its_cap_still_claims_what_outranks_a_round():
    sender = OutboxSender(None, None, concurrency=32)  # type: ignore[arg-type]
    assert sender._claim_plan(32, woken=True) == (8, None)  # room: anything, urgent first
    assert sender._claim_plan(64, woken=True) == (8, 0)  # at the cap: alerts only
    assert sender._claim_plan(64, woken=False) == (0, None)  # no wake: wait for room
