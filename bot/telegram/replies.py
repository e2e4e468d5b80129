"""Carrying out a core Outcome in the chat the update came from, through the one sender.

Telegram refusing an edit because nothing changed, or a callback answered too late, is normal
on a phone with patchy signal: it passes quietly, and a failed toast or edit is logged, never
raised to the person. A reply that cannot be sent goes to the error handler (a rate limit is
let go there, anything else gets a kind "please try again"); a blocked chat ends it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from telegram import Update
from telegram.error import TelegramError

from bot.services.outcome import Outcome
from bot.telegram.sender import ChatSender, Refusal, judge

log = logging.getLogger(__name__)


class _Blocked(Exception):
    """The chat blocked the bot while we replied: nothing more to send there."""


async def apply_outcome(update: Update, outcome: Outcome) -> None:
    query = update.callback_query
    chat = update.effective_chat
    if chat is None:
        return
    sender = ChatSender(update.get_bot())
    try:
        if query is not None:
            await _softly(sender.answer_button(query.id, outcome.toast))
        if outcome.edit is not None:
            message_id = outcome.edit_message_id
            if message_id is None and query is not None and query.message is not None:
                message_id = query.message.message_id
            if message_id is not None:
                await _softly(sender.edit(chat.id, message_id, outcome.edit))
        for reply in outcome.replies:
            try:
                await sender.send(chat.id, reply)
            except TelegramError as error:
                if judge(error).refusal == Refusal.BLOCKED:
                    raise _Blocked from error
                raise
    except _Blocked:
        log.info("chat %s blocked the bot while we replied", chat.id)


async def _softly(step: Awaitable[object]) -> None:
    """A toast or an edit: a refusal is logged unless harmless, and only a block stops us."""
    try:
        await step
    except TelegramError as error:
        verdict = judge(error)
        if verdict.refusal == Refusal.BLOCKED:
            raise _Blocked from error
        if verdict.refusal != Refusal.NOTHING_TO_DO:
            log.warning("Telegram refused a reply step: %s", verdict.reason)
