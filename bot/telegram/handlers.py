"""Thin Telegram handlers: parse the update, call the core, carry out what it returns."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Update
from telegram.error import RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.services.deps import Deps
from bot.services.entry import router
from bot.services.outcome import Outcome
from bot.telegram.mapping import sender_of, split_command
from bot.telegram.replies import apply_outcome

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


def _reply_to(update: Update) -> int | None:
    replied = update.message.reply_to_message if update.message else None
    return replied.message_id if replied else None


class Handlers:
    """Each handler is one call into `bot.services.entry.router`; `wake` nudges the outbox sender,
    `tick_now` runs the repeating tick early when the core asked for due work."""

    def __init__(
        self,
        deps: Deps,
        wake: Callable[[], None],
        tick_now: Callable[[], None] | None = None,
    ) -> None:
        self.deps = deps
        self.wake = wake
        self.tick_now = tick_now

    async def _finish(self, update: Update, outcome: Outcome) -> None:
        if outcome.outbox_changed:
            self.wake()  # first: an alert must not wait behind this chat's own (throttled) edit
        if outcome.due_now and self.tick_now is not None:
            self.tick_now()
        await apply_outcome(update, outcome)

    async def command(self, update: Update, context: Context) -> None:
        sender = sender_of(update)
        if sender is None or update.message is None or not update.message.text:
            return
        name, rest = split_command(update.message.text)
        if name == "start":
            payload = rest.split()
            outcome = await router.handle_start(self.deps, sender, payload[0] if payload else None)
        else:
            outcome = await router.handle_command(self.deps, sender, name, rest)
        await self._finish(update, outcome)

    async def button(self, update: Update, context: Context) -> None:
        sender = sender_of(update)
        query = update.callback_query
        if sender is None or query is None:
            return
        await self._finish(update, await router.handle_button(self.deps, sender, query.data))

    async def text(self, update: Update, context: Context) -> None:
        sender = sender_of(update)
        if sender is None or update.message is None or update.message.text is None:
            return
        outcome = await router.handle_text(
            self.deps, sender, update.message.text, _reply_to(update)
        )
        await self._finish(update, outcome)

    async def voice(self, update: Update, context: Context) -> None:
        sender = sender_of(update)
        message = update.message
        if sender is None or message is None:
            return
        media = message.voice or message.audio
        if media is None:
            return
        kind = "voice" if message.voice else "audio"
        outcome = await router.handle_voice(
            self.deps, sender, media.file_id, _reply_to(update), message.caption, kind
        )
        await self._finish(update, outcome)

    async def media(self, update: Update, context: Context) -> None:
        """A photo (its largest size) or a round video note."""
        sender = sender_of(update)
        message = update.message
        if sender is None or message is None:
            return
        if message.photo:
            kind, file_id = "photo", message.photo[-1].file_id
        elif message.video_note:
            kind, file_id = "video_note", message.video_note.file_id
        else:
            return
        outcome = await router.handle_media(
            self.deps, sender, kind, file_id, message.caption, _reply_to(update)
        )
        await self._finish(update, outcome)

    async def unsupported(self, update: Update, context: Context) -> None:
        sender = sender_of(update)
        if sender is None or update.message is None:
            return
        caption = update.message.caption
        await self._finish(update, await router.handle_unsupported(self.deps, sender, caption))

    async def on_error(self, update: object, context: Context) -> None:
        """Log without personal content, and tell the person kindly to try again.

        A reply the rate limiter refused because its chat is flooded is let go quietly:
        a "please try again" would be refused the same way.
        """
        if isinstance(context.error, RetryAfter):
            log.info("a reply was not sent: its chat has too many messages waiting")
            return
        log.error("handler failed: %s", type(context.error).__name__, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        text = await router.try_again_text(self.deps, sender_of(update))
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(text)
            else:
                await update.get_bot().send_message(update.effective_chat.id, text)
        except Exception:  # the network is what failed: nothing more to do than log it
            log.warning("could not tell chat about the failure")

    def register(self, application: Application) -> None:
        private = filters.ChatType.PRIVATE
        application.add_handler(MessageHandler(private & filters.COMMAND, self.command))
        application.add_handler(CallbackQueryHandler(self.button))
        application.add_handler(
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, self.text)
        )
        application.add_handler(
            MessageHandler(private & (filters.VOICE | filters.AUDIO), self.voice)
        )
        application.add_handler(
            MessageHandler(private & (filters.PHOTO | filters.VIDEO_NOTE), self.media)
        )
        application.add_handler(
            MessageHandler(
                private & ~filters.StatusUpdate.ALL & ~filters.UpdateType.EDITED, self.unsupported
            )
        )
        application.add_error_handler(self.on_error)
