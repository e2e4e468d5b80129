"""Drains the outbox to Telegram through the one sender, each result recorded.

The core decided what to send; `ChatSender` knows how, and this keeps the pipe full: up to
`concurrency` messages in flight, refilled as they land, urgent ones first (the claim orders
by priority, and so does the rate limiter). A wake while draining claims at once, even into a
full pipe, so an alert raised in the middle of a 10,000-child round is the next to go out
rather than waiting for a batch. A 429 waits the time Telegram asks for, a blocked account is
reported to the core, a network fault is retried with back-off.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from telegram import Bot
from telegram.error import TelegramError

from bot.adapters.db.outbox_repo import LEASE
from bot.domain.storage import StorageError
from bot.services.checkins import delivery
from bot.services.checkins.delivery import Delivery
from bot.services.deps import Deps
from bot.telegram.chat_marks import ChatMarks
from bot.telegram.sender import ChatSender, Refusal, Verdict, judge

log = logging.getLogger(__name__)
RENEW_SECONDS = LEASE.total_seconds() / 3  # renewed well before it runs out
RECORD_ATTEMPTS = 5
WAKE_EXTRA = 8  # a wake into a full pipe claims this many more (the most urgent first)
ROUND_PRIORITY = 0  # a round's check-ins (and any message that asks for nothing sooner)
# Landed sends record their results two at a time: on SQLite's one connection a tap's
# transaction, or the claim that fetches its alert, then waits behind two of them, not behind
# the bookkeeping of a whole pipe of check-ins.
RECORD_SLOTS = 2
InFlight = dict[asyncio.Task[bool], int]  # the send -> its outbox id


class OutboxSender:
    def __init__(
        self, deps: Deps, bot: Bot, concurrency: int, marks: ChatMarks | None = None
    ) -> None:
        """Up to `concurrency` messages in flight: no more than it can send within a lease."""
        self.deps = deps
        self.chat = ChatSender(bot)
        self.marks = marks or ChatMarks()
        self._concurrency = concurrency
        self._refill_at = max(1, concurrency // 4)  # claims in handfuls, not one by one
        self._lock = asyncio.Lock()
        self._woken = asyncio.Event()
        self._recording = asyncio.Semaphore(RECORD_SLOTS)
        self.stopping = False  # set on shutdown: finish what is in flight, claim nothing new

    async def drain(self, wait: bool = True) -> int:
        """Send everything due now; returns how many went out.

        A call made while draining makes the running drain claim again at once (what it
        queued may be urgent); with `wait` it then returns only when that drain is done.
        """
        if self._lock.locked():
            self._woken.set()
            if not wait:
                return 0
        sent = 0
        async with self._lock:
            while not self.stopping:
                sent += await self._pump()
                # A wake during the pump's last steps is seen here: nothing yields between
                # this check and the lock's release.
                if not self._woken.is_set():
                    return sent
        return sent

    async def _pump(self) -> int:
        in_flight: InFlight = {}
        keeper = asyncio.create_task(self._keep_leases(in_flight))
        sent = 0
        try:
            while True:
                woken = self._woken.is_set()
                self._woken.clear()
                room, above = self._claim_plan(len(in_flight), woken)
                # Claim again as sends land: recording one may queue a follow-up (a parent's
                # delivery note, a retired copy). Nothing claimed and nothing left ends it.
                highest = self.marks.highest
                claimed = await delivery.claim(self.deps, room, highest, above) if room else []
                for item in claimed:
                    in_flight[asyncio.create_task(self._send_one(item))] = item.outbox_id
                if not in_flight:
                    return sent
                sent += await self._landed(in_flight)
        finally:
            if in_flight:  # an unexpected error: let what is in flight finish and be recorded
                await asyncio.gather(*in_flight, return_exceptions=True)
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper

    def _claim_plan(self, flying: int, woken: bool) -> tuple[int, int | None]:
        """How many to claim now, and the priority they must outrank (None: any). A wake into
        a pipe already at its cap still claims what outranks a round's check-ins (an alert a
        tap raised while a round fills the pipe), and nothing more of the round."""
        room = self._room(flying, woken)
        if room == 0 and woken and not self.stopping:
            return WAKE_EXTRA, ROUND_PRIORITY
        return room, None

    def _room(self, flying: int, woken: bool) -> int:
        """How many to claim now."""
        if self.stopping:
            return 0
        free = self._concurrency - flying
        if woken:  # at most twice the pipe, however often it is woken
            return max(0, free, min(WAKE_EXTRA, 2 * self._concurrency - flying))
        return free if free >= self._refill_at else 0

    async def _landed(self, in_flight: InFlight) -> int:
        """Wait until a send finishes or someone wakes us; how many of those that finished
        went out."""
        waker = asyncio.ensure_future(self._woken.wait())
        try:
            done, _ = await asyncio.wait({*in_flight, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waker.cancel()
        sent = 0
        for task in done - {waker}:
            in_flight.pop(task)
            try:
                sent += task.result()
            except Exception:  # one bad row must not stop the others; its lease brings it back
                log.exception("sending outbox item failed unexpectedly")
        return sent

    async def _keep_leases(self, in_flight: InFlight) -> None:
        """A send held up (a long 429 wait, a slow network) keeps its lease while alive."""
        while True:
            await asyncio.sleep(RENEW_SECONDS)
            if not in_flight:
                continue
            try:
                await delivery.keep_leases(self.deps, sorted(in_flight.values()))
            except StorageError:
                log.warning("could not renew %s outbox leases; retrying", len(in_flight))

    async def _send_one(self, item: Delivery) -> bool:
        """Send one message, then record the result; True when it went out."""
        if item.message_id is not None:  # sent before a crash; only the bookkeeping is left
            return await self._record(
                partial(delivery.delivered, self.deps, item, item.message_id)
            )
        try:
            message_id = await self.chat.carry_out(item.outgoing)
        except TelegramError as error:
            return await self._refused(item, judge(error, item.outgoing.verb))
        self.marks.saw(item.chat_id, message_id)
        # The id first, alone: a crash from here on can no longer send it twice.
        await self._record(partial(delivery.record_message_id, self.deps, item, message_id))
        return await self._record(partial(delivery.delivered, self.deps, item, message_id))

    async def _refused(self, item: Delivery, verdict: Verdict) -> bool:
        """Record what Telegram's refusal means; True only when there was nothing to do."""
        deps, reason = self.deps, verdict.reason
        if verdict.refusal == Refusal.NOTHING_TO_DO:  # the edit, delete or strip is done
            done = item.outgoing.target_message_id
            return await self._record(partial(delivery.delivered, deps, item, done))
        if verdict.refusal == Refusal.RATE_LIMITED:
            delay = verdict.retry_after
            record = partial(delivery.retry_later, deps, item, delay, reason, counts=False)
        elif verdict.refusal == Refusal.PASSING:
            delay = delivery.backoff_seconds(item.attempts)
            record = partial(delivery.retry_later, deps, item, delay, reason)
        else:
            blocked = verdict.refusal == Refusal.BLOCKED
            record = partial(delivery.undeliverable, deps, item, reason, blocked)
        await self._record(record)
        return False

    async def _record(self, record: Callable[[], Awaitable[None]]) -> bool:
        """Store a send's result, retrying a busy database: a sent message left unrecorded
        would go out again when its lease runs out."""
        for attempt in range(RECORD_ATTEMPTS):
            try:
                async with self._recording:
                    await record()
                return True
            except StorageError:
                log.warning("could not record a send (attempt %s); retrying", attempt + 1)
                await asyncio.sleep(0.5 * (attempt + 1))
        log.error("gave up recording a send; it may be sent again after its lease")
        return False
