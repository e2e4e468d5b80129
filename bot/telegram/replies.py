"""Carrying out a core Outcome in the chat the update came from.

Telegram refusing an edit because nothing changed, or a callback answered too late, is normal
on a phone with patchy signal: it is logged and passed over, never raised to the person.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.services.outcome import Outcome
from bot.telegram.mapping import TOAST_LIMIT, clip_utf16, keyboard, split_text

log = logging.getLogger(__name__)
HARMLESS = ("message is not modified", "query is too old", "message to edit not found")


def _harmless(error: BadRequest) -> bool:
    return any(part in error.message.lower() for part in HARMLESS)


async def apply_outcome(update: Update, outcome: Outcome) -> None:
    query = update.callback_query
    chat = update.effective_chat
    if chat is None:
        return
    bot = update.get_bot()
    try:
        if query is not None:
            toast = clip_utf16(outcome.toast, TOAST_LIMIT) if outcome.toast else None
            await _safe(query.answer(toast))
        if outcome.edit is not None:
            message_id = outcome.edit_message_id
            if message_id is None and query is not None and query.message is not None:
                message_id = query.message.message_id
            if message_id is not None:
                await _safe(
                    bot.edit_message_text(
                        outcome.edit.text,
                        chat_id=chat.id,
                        message_id=message_id,
                        reply_markup=keyboard(outcome.edit.buttons),
                    )
                )
        for reply in outcome.replies:
            *head, last = split_text(reply.text)
            for piece in head:
                await bot.send_message(chat.id, piece)
            await bot.send_message(chat.id, last, reply_markup=keyboard(reply.buttons))
    except Forbidden:
        log.info("chat %s blocked the bot while we replied", chat.id)


async def _safe(awaitable) -> None:  # type: ignore[no-untyped-def]
    try:
        await awaitable
    except BadRequest as error:
        if not _harmless(error):
            log.warning("Telegram refused a reply step: %s", error.message)
    except Forbidden:
        raise
    except TelegramError as error:
        log.warning("reply step failed: %s", error)
