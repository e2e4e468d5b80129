"""Replaying end to end: the real bot (python-telegram-bot over HTTP, its rate limiter, the
outbox sender) against the Bot API emulator, read back from the emulator's chats.

The bot works in the background, so after every input `settle` waits until it is idle: no
update left unfetched or in a handler, no tick or drain running, nothing due in the outbox, and
the chats unchanged for a few polls.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import or_, select

from bot.adapters.db.models import Outbox
from bot.bootstrap import Core
from bot.emulator import BotAPIEmulator, EmulatedUser, SentMessage
from bot.telegram.app import TongbanBot
from tests.transcripts.script import Person
from tests.transcripts.view import ChatView, Keyboard, Shown

POLL_SECONDS = 0.02
QUIET_POLLS = 4
SETTLE_TIMEOUT = 60.0


def _keyboard(message: SentMessage) -> Keyboard:
    return tuple(
        tuple((button.get("text", ""), button.get("callback_data") or "") for button in row)
        for row in message.inline_keyboard
    )


def _shown(message: SentMessage) -> Shown:
    media = f"{message.kind} {message.file_id}" if message.kind != "text" else ""
    text = message.source if message.source is not None else (message.text or "")
    if message.kind != "text" and message.source is None:
        text = message.caption or ""
    return Shown(
        message.message_id, message.from_bot, text, _keyboard(message), media, message.deleted
    )


class EmulatorChannel:
    def __init__(self, emulator: BotAPIEmulator, core: Core, bot: TongbanBot) -> None:
        self.emulator = emulator
        self.core = core
        self.bot = bot
        self._own: dict[int, list[int]] = {}

    def _user(self, person: Person) -> EmulatedUser:
        return self.emulator.user(
            person.telegram_id, first_name=person.name, language_code=person.language_code
        )

    def view(self, person: Person) -> ChatView:
        user = self._user(person)
        shown = {m.message_id: _shown(m) for m in user.messages}
        for message_id in self._own.get(person.telegram_id, []):
            found = user.find(message_id)
            if found is not None:
                shown[message_id] = _shown(found)
        return ChatView(shown, [answer.get("text") or "" for answer in user.callback_answers])

    def _sent(self, person: Person, update: dict[str, Any]) -> int:
        message_id = int(update["message"]["message_id"])
        self._own.setdefault(person.telegram_id, []).append(message_id)
        return message_id

    async def send_text(self, person: Person, text: str) -> int:
        return self._sent(person, await self._user(person).send_text(text))

    async def send_voice(self, person: Person, seconds: int) -> int:
        return self._sent(person, await self._user(person).send_voice(seconds))

    async def tap(self, person: Person, message_id: int, data: str) -> None:
        await self._user(person).tap(data, message_id)

    async def tick(self) -> None:
        await self.bot.tick()

    async def _outbox_due(self) -> list[str]:
        now = self.core.deps.clock.now()
        async with self.core.deps.stores.sessions() as session:
            query = select(Outbox).where(
                or_(Outbox.status == "pending", Outbox.status == "sending"),
                Outbox.send_after <= now,
            )
            return [f"{r.kind} to {r.chat_id} ({r.status})" for r in await session.scalars(query)]

    def _state(self) -> dict[str, int]:
        """What the bot has in hand. The tick's and the sender's locks are private: read with
        a default, so a reshaped bot still settles (on the outbox and the chats alone)."""
        app = self.bot.application

        def held(owner: object, name: str) -> bool:
            lock = getattr(owner, name, None)
            return bool(lock is not None and lock.locked())

        return {
            "updates not fetched": self.emulator.pending_updates,
            "updates queued": app.update_queue.qsize(),
            "updates in handlers": app.update_processor.current_concurrent_updates,
            "tick running": held(self.bot, "_tick_running"),
            "draining": held(getattr(self.bot, "sender", None), "_lock"),
        }

    def _busy(self) -> bool:
        return any(self._state().values())

    def _signature(self) -> tuple[int, ...]:
        users = self.emulator.users.values()
        return tuple(
            value
            for u in users
            for value in (
                len(u.messages),
                sum(m.edits + m.deleted for m in u.messages),
                len(u.callback_answers),
            )
        )

    async def settle(self) -> None:
        """Wait until the bot has finished with everything it was given (see the module); what
        falls due meanwhile is sent by a tick, as the repeating job would within seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_TIMEOUT
        quiet, last = 0, self._signature()
        while quiet < QUIET_POLLS:
            if loop.time() > deadline:
                due = await self._outbox_due()
                raise AssertionError(f"the bot did not settle in a minute: {self._state()}, {due}")
            await asyncio.sleep(POLL_SECONDS)
            now = self._signature()
            busy = self._busy() or now != last
            if not busy and await self._outbox_due():
                await self.bot.tick()
                busy = True
            quiet, last = (0 if busy else quiet + 1), now
