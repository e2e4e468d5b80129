"""Drains the outbox to Telegram: concurrent within the rate limiter, each result recorded.

The core decided what to send; this decides only how. A 429 waits the time Telegram asks for,
a blocked account is reported to the core, a network fault is retried with back-off.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.adapters.db.outbox_repo import LEASE
from bot.services import delivery
from bot.services.delivery import Delivery
from bot.services.deps import Deps
from bot.telegram.chat_marks import ChatMarks
from bot.telegram.mapping import CAPTION_LIMIT, keyboard_from_body, split_text, visible_len

log = logging.getLogger(__name__)
RENEW_SECONDS = LEASE.total_seconds() / 3  # renewed well before it runs out
RECORD_ATTEMPTS = 5
UNREACHABLE = ("chat not found", "user is deactivated", "bot can't initiate conversation")
NOTHING_TO_DO = (
    "message is not modified",
    "message to edit not found",
    "message to delete not found",
    "message can't be deleted",
)
# Taking the buttons off a message that may be a stray copy: the id may be the child's own.
NOTHING_TO_STRIP = (*NOTHING_TO_DO, "message can't be edited")


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]


def _strips(item: Delivery) -> bool:
    return bool(item.body.get("strip_markup_message_id"))


def _target(item: Delivery) -> int | None:
    """The message an edit, delete or strip was about (it is done, or nothing was to do)."""
    body = item.body
    found = (
        body.get("edit_message_id")
        or body.get("delete_message_id")
        or body.get("strip_markup_message_id")
    )
    return int(found) if found else None


class OutboxSender:
    def __init__(
        self, deps: Deps, bot: Bot, concurrency: int, marks: ChatMarks | None = None
    ) -> None:
        """Claims `concurrency` messages at a time: no more than it can send within a lease."""
        self.deps = deps
        self.bot = bot
        self.marks = marks or ChatMarks()
        self._batch = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._again = False
        self.stopping = False  # set on shutdown: finish the batch in hand, start no new one

    async def drain(self) -> int:
        """Send everything due now; a call made while draining makes the running one go again."""
        if self._lock.locked():
            self._again = True
            return 0
        sent = 0
        async with self._lock:
            while not self.stopping:
                self._again = False
                items = await delivery.claim(self.deps, self._batch, self.marks.highest)
                if items:
                    sent += await self._send_batch(items)
                # Claim again after every batch: recording a send may queue a follow-up (a
                # parent's delivery note, a retired copy). An empty claim ends the drain.
                if not items and not self._again:
                    return sent
        return sent

    async def _send_batch(self, items: list[Delivery]) -> int:
        """Send a claimed batch, renewing the leases of what is still in hand meanwhile."""
        in_hand = {item.outbox_id for item in items}

        async def one(item: Delivery) -> bool:
            try:
                return await self._send_one(item)
            finally:
                in_hand.discard(item.outbox_id)

        keeper = asyncio.create_task(self._keep_leases(in_hand))
        try:
            return sum(await asyncio.gather(*(one(item) for item in items)))
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper

    async def _keep_leases(self, in_hand: set[int]) -> None:
        """A send held up (a long 429 wait, a slow network) keeps its lease while alive."""
        while True:
            await asyncio.sleep(RENEW_SECONDS)
            if not in_hand:
                continue
            try:
                await delivery.keep_leases(self.deps, sorted(in_hand))
            except SQLAlchemyError:
                log.warning("could not renew %s outbox leases; retrying", len(in_hand))

    async def _send_one(self, item: Delivery) -> bool:
        """Send one message, then record the result; True when it went out."""
        if item.message_id is not None:  # sent before a crash; only the bookkeeping is left
            return await self._record(
                partial(delivery.delivered, self.deps, item, item.message_id)
            )
        async with self._slots:
            try:
                message_id = await self._send(item)
            except RetryAfter as error:
                delay = _seconds(error.retry_after)
                record = partial(delivery.retry_later, self.deps, item, delay, "429", counts=False)
            except Forbidden as error:
                record = partial(delivery.undeliverable, self.deps, item, error.message, True)
            except BadRequest as error:
                reason = error.message.lower()
                harmless = NOTHING_TO_STRIP if _strips(item) else NOTHING_TO_DO
                if any(part in reason for part in harmless):
                    done = _target(item)
                    return await self._record(partial(delivery.delivered, self.deps, item, done))
                blocked = any(part in reason for part in UNREACHABLE)
                record = partial(delivery.undeliverable, self.deps, item, error.message, blocked)
            except (TimedOut, NetworkError) as error:
                delay = delivery.backoff_seconds(item.attempts)
                record = partial(delivery.retry_later, self.deps, item, delay, str(error))
            else:
                self.marks.saw(item.chat_id, message_id)
                # The id first, alone: a crash from here on can no longer send it twice.
                await self._record(
                    partial(delivery.record_message_id, self.deps, item, message_id)
                )
                return await self._record(partial(delivery.delivered, self.deps, item, message_id))
        await self._record(record)
        return False

    async def _record(self, record: Callable[[], Awaitable[None]]) -> bool:
        """Store a send's result, retrying a busy database: a sent message left unrecorded
        would go out again when its lease runs out."""
        for attempt in range(RECORD_ATTEMPTS):
            try:
                await record()
                return True
            except SQLAlchemyError:
                log.warning("could not record a send (attempt %s); retrying", attempt + 1)
                await asyncio.sleep(0.5 * (attempt + 1))
        log.error("gave up recording a send; it may be sent again after its lease")
        return False

    async def _send(self, item: Delivery) -> int:
        """Every call carries the row's priority to the rate limiter: urgent ones go first."""
        body, urgency = item.body, item.priority
        if body.get("delete_message_id"):
            await self.bot.delete_message(
                item.chat_id, body["delete_message_id"], rate_limit_args=urgency
            )
            return int(body["delete_message_id"])
        if _strips(item):  # no reply_markup: Telegram removes the keyboard
            await self.bot.edit_message_reply_markup(
                item.chat_id, body["strip_markup_message_id"], rate_limit_args=urgency
            )
            return int(body["strip_markup_message_id"])
        markup = keyboard_from_body(body.get("buttons", []))
        if body.get("edit_message_id"):
            await self.bot.edit_message_text(
                body["text"],
                chat_id=item.chat_id,
                message_id=body["edit_message_id"],
                reply_markup=markup,
                rate_limit_args=urgency,
            )
            return int(body["edit_message_id"])
        media = body.get("media")
        text: str = body["text"]
        if media and (media["kind"] == "video_note" or visible_len(text) > CAPTION_LIMIT):
            # No room for the text on the media itself (Telegram counts a caption in UTF-16
            # units: 512 emoji fill it): it goes first, the media with the buttons after, so
            # the buttons sit under what they answer.
            await self._send_text(item.chat_id, text, None, urgency)
            return await self._send_media(item.chat_id, media, None, markup, urgency)
        if media:
            return await self._send_media(item.chat_id, media, text, markup, urgency)
        return await self._send_text(item.chat_id, text, markup, urgency)

    async def _send_text(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, urgency: int
    ) -> int:
        """Text over Telegram's limit goes in pieces, the buttons on the last.

        A retry after a failure mid-way sends the earlier pieces again; a long message is rare
        (a parent's letter) and a repeated piece is better than a lost one.
        """
        *head, last = split_text(text)
        for piece in head:
            await self.bot.send_message(chat_id, piece, rate_limit_args=urgency)
        message = await self.bot.send_message(
            chat_id, last, reply_markup=markup, rate_limit_args=urgency
        )
        return message.message_id

    async def _send_media(
        self,
        chat_id: int,
        media: dict[str, str],
        caption: str | None,
        markup: InlineKeyboardMarkup | None,
        urgency: int,
    ) -> int:
        kind, file_id = media["kind"], media["file_id"]
        options: dict[str, Any] = {"reply_markup": markup, "rate_limit_args": urgency}
        if kind == "voice":
            sent = await self.bot.send_voice(chat_id, file_id, caption=caption, **options)
        elif kind == "audio":
            sent = await self.bot.send_audio(chat_id, file_id, caption=caption, **options)
        elif kind == "photo":
            sent = await self.bot.send_photo(chat_id, file_id, caption=caption, **options)
        else:
            sent = await self.bot.send_video_note(chat_id, file_id, **options)
        return sent.message_id
