"""Drains the outbox to Telegram: concurrent within the rate limiter, each result recorded.

The core decided what to send; this decides only how. A 429 waits the time Telegram asks for,
a blocked account is reported to the core, a network fault is retried with back-off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.services import delivery
from bot.services.delivery import Delivery
from bot.services.deps import Deps
from bot.telegram.mapping import CAPTION_LIMIT, keyboard_from_body, split_text, visible_len

log = logging.getLogger(__name__)
BATCH = 200
RECORD_ATTEMPTS = 5
UNREACHABLE = ("chat not found", "user is deactivated", "bot can't initiate conversation")
NOTHING_TO_DO = (
    "message is not modified",
    "message to edit not found",
    "message to delete not found",
    "message can't be deleted",
)


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]


class OutboxSender:
    def __init__(self, deps: Deps, bot: Bot, concurrency: int) -> None:
        self.deps = deps
        self.bot = bot
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
                items = await delivery.claim(self.deps, BATCH)
                if items:
                    results = await asyncio.gather(*(self._send_one(item) for item in items))
                    sent += sum(results)
                # Claim again after every batch: recording a send may queue a follow-up (a
                # parent's delivery note, a retired copy). An empty claim ends the drain.
                if not items and not self._again:
                    return sent
        return sent

    async def _send_one(self, item: Delivery) -> bool:
        """Send one message, then record the result; True when it went out."""
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
                if any(part in reason for part in NOTHING_TO_DO):
                    done = item.body.get("edit_message_id") or item.body.get("delete_message_id")
                    return await self._record(partial(delivery.delivered, self.deps, item, done))
                blocked = any(part in reason for part in UNREACHABLE)
                record = partial(delivery.undeliverable, self.deps, item, error.message, blocked)
            except (TimedOut, NetworkError) as error:
                delay = delivery.backoff_seconds(item.attempts)
                record = partial(delivery.retry_later, self.deps, item, delay, str(error))
            else:
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
        body = item.body
        if body.get("delete_message_id"):
            await self.bot.delete_message(item.chat_id, body["delete_message_id"])
            return int(body["delete_message_id"])
        markup = keyboard_from_body(body.get("buttons", []))
        if body.get("edit_message_id"):
            await self.bot.edit_message_text(
                body["text"],
                chat_id=item.chat_id,
                message_id=body["edit_message_id"],
                reply_markup=markup,
            )
            return int(body["edit_message_id"])
        media = body.get("media")
        text: str = body["text"]
        if media and (media["kind"] == "video_note" or visible_len(text) > CAPTION_LIMIT):
            # No room for the text on the media itself (Telegram counts a caption in UTF-16
            # units: 512 emoji fill it): it goes first, the media with the buttons after, so
            # the buttons sit under what they answer.
            await self._send_text(item.chat_id, text, None)
            return await self._send_media(item.chat_id, media, None, markup)
        if media:
            return await self._send_media(item.chat_id, media, text, markup)
        return await self._send_text(item.chat_id, text, markup)

    async def _send_text(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> int:
        """Text over Telegram's limit goes in pieces, the buttons on the last.

        A retry after a failure mid-way sends the earlier pieces again; a long message is rare
        (a parent's letter) and a repeated piece is better than a lost one.
        """
        *head, last = split_text(text)
        for piece in head:
            await self.bot.send_message(chat_id, piece)
        message = await self.bot.send_message(chat_id, last, reply_markup=markup)
        return message.message_id

    async def _send_media(
        self,
        chat_id: int,
        media: dict[str, str],
        caption: str | None,
        markup: InlineKeyboardMarkup | None,
    ) -> int:
        kind, file_id = media["kind"], media["file_id"]
        if kind == "voice":
            sent = await self.bot.send_voice(
                chat_id, file_id, caption=caption, reply_markup=markup
            )
        elif kind == "photo":
            sent = await self.bot.send_photo(
                chat_id, file_id, caption=caption, reply_markup=markup
            )
        else:
            sent = await self.bot.send_video_note(chat_id, file_id, reply_markup=markup)
        return sent.message_id
