"""The one way Tongban's messages reach Telegram: direct replies and the outbox alike.

It knows how (pieces within Telegram's length limit, buttons on the last piece, a caption or
not, which method a media kind needs, the priority the rate limiter orders by) and what a
refusal means (`judge`); each caller decides what to do about it: the outbox records and
retries, a direct reply lets a harmless refusal pass and leaves the rest to the error handler.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.domain.outgoing import Media, Message, Outgoing, Verb
from bot.telegram.mapping import (
    CAPTION_LIMIT,
    TOAST_LIMIT,
    clip_utf16,
    keyboard,
    split_text,
    visible_len,
)

log = logging.getLogger(__name__)
# Refusals that mean there was nothing left to do: the edit changed nothing, the message is
# gone already, a button was answered too late (a phone with patchy signal).
NOTHING_TO_DO = (
    "message is not modified",
    "message to edit not found",
    "message to delete not found",
    "message can't be deleted",
    "query is too old",
)
# Taking the buttons off a message that may be a stray copy: the id may be the child's own.
NOTHING_TO_STRIP = (*NOTHING_TO_DO, "message can't be edited")
# A 400 that means the person cannot be reached, as a 403 does.
UNREACHABLE = ("chat not found", "user is deactivated", "bot can't initiate conversation")


class Refusal(StrEnum):
    NOTHING_TO_DO = "nothing_to_do"  # as good as done
    BLOCKED = "blocked"  # the person blocked the bot or is gone: stop until they come back
    REJECTED = "rejected"  # Telegram will never take this message as it is
    RATE_LIMITED = "rate_limited"  # 429: wait `retry_after` seconds, then the same again
    PASSING = "passing"  # the network or Telegram hiccupped: try again later


@dataclass(frozen=True)
class Verdict:
    refusal: Refusal
    reason: str
    retry_after: float = 0.0


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]


def judge(error: TelegramError, verb: Verb = Verb.SEND) -> Verdict:
    """What a Telegram error means for the message that caused it (403/400/429/others)."""
    if isinstance(error, RetryAfter):
        return Verdict(Refusal.RATE_LIMITED, "429", _seconds(error.retry_after))
    if isinstance(error, Forbidden):
        return Verdict(Refusal.BLOCKED, error.message)
    if isinstance(error, BadRequest):  # before NetworkError: BadRequest is one
        reason = error.message.lower()
        harmless = NOTHING_TO_STRIP if verb == Verb.STRIP_BUTTONS else NOTHING_TO_DO
        if any(part in reason for part in harmless):
            return Verdict(Refusal.NOTHING_TO_DO, error.message)
        if any(part in reason for part in UNREACHABLE):
            return Verdict(Refusal.BLOCKED, error.message)
        return Verdict(Refusal.REJECTED, error.message)
    return Verdict(Refusal.PASSING, str(error))


class ChatSender:
    """Carries out one message in one chat; returns the id of the message it is about.

    Every call carries the priority to the rate limiter (PTB's `rate_limit_args`): urgent
    ones go first.
    """

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def carry_out(self, item: Outgoing) -> int:
        """An outbox item: send, edit, delete, or take the buttons off."""
        chat, target, urgency = item.chat_id, item.target_message_id, item.priority
        if item.verb == Verb.SEND:
            assert item.message is not None
            return await self.send(chat, item.message, urgency)
        assert target is not None
        if item.verb == Verb.EDIT:
            assert item.message is not None
            return await self.edit(chat, target, item.message, urgency)
        if item.verb == Verb.DELETE:
            await self.bot.delete_message(chat, target, rate_limit_args=urgency)
        else:  # no reply_markup: Telegram removes the keyboard
            await self.bot.edit_message_reply_markup(chat, target, rate_limit_args=urgency)
        return target

    async def edit(self, chat_id: int, message_id: int, message: Message, urgency: int = 0) -> int:
        await self.bot.edit_message_text(
            message.text,
            chat_id=chat_id,
            message_id=message_id,
            reply_markup=keyboard(message.buttons),
            rate_limit_args=urgency,
        )
        return message_id

    async def send(self, chat_id: int, message: Message, urgency: int = 0) -> int:
        markup = keyboard(message.buttons)
        media, text = message.media, message.text
        if media and (media.kind == "video_note" or visible_len(text) > CAPTION_LIMIT):
            # No room for the text on the media itself (Telegram counts a caption in UTF-16
            # units: 512 emoji fill it): it goes first, the media with the buttons after, so
            # the buttons sit under what they answer.
            await self._send_text(chat_id, text, None, urgency)
            return await self._send_media(chat_id, media, None, markup, urgency)
        if media:
            return await self._send_media(chat_id, media, text, markup, urgency)
        return await self._send_text(chat_id, text, markup, urgency)

    async def answer_button(self, query_id: str, toast: str | None) -> None:
        """The small notice a button press shows (or none: the spinner just stops)."""
        text = clip_utf16(toast, TOAST_LIMIT) if toast else None
        await self.bot.answer_callback_query(query_id, text)

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
        media: Media,
        caption: str | None,
        markup: InlineKeyboardMarkup | None,
        urgency: int,
    ) -> int:
        kind, file_id = media.kind, media.file_id
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
