"""Replaying through the core alone: a fake channel that keeps each private chat as Telegram
would, calls the router as the Telegram handlers do, and drains the outbox as the sender does.

No HTTP and no python-telegram-bot: inputs go straight to `bot.services.entry.router`, a returned
Outcome is carried out on the fake chat (toast, edit, replies), and every tick collects what is
due and hands each outbox message to `apply_delivery`, which is the one place here that reads
the outgoing envelope.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import count

from bot.bootstrap import Core
from bot.domain.outgoing import Verb
from bot.services.checkins import delivery
from bot.services.checkins.delivery import Delivery
from bot.services.entry import router
from bot.services.outcome import Message, Outcome, Sender
from bot.services.tick import collect_due
from tests.transcripts.script import Person
from tests.transcripts.view import ChatView, Keyboard, Shown

CAPTION_LIMIT = 1024


def _message_keyboard(message: Message) -> Keyboard:
    return tuple(tuple((b.label, b.data) for b in row) for row in message.buttons)


class FakeChat:
    """One private chat: message ids shared by both sides and only growing, as in Telegram."""

    def __init__(self) -> None:
        self.view = ChatView()
        self._ids = count(1)

    def add(self, from_bot: bool, text: str = "", buttons: Keyboard = (), media: str = "") -> int:
        message_id = next(self._ids)
        self.view.messages[message_id] = Shown(message_id, from_bot, text, buttons, media)
        return message_id

    def live(self, message_id: int | None) -> Shown | None:
        found = self.view.messages.get(message_id) if message_id is not None else None
        return found if found is not None and not found.deleted else None

    def change(self, message_id: int, **fields: object) -> None:
        self.view.messages[message_id] = replace(self.view.messages[message_id], **fields)

    def highest(self) -> int | None:
        return max(self.view.messages, default=None)


class CoreChannel:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.chats: dict[int, FakeChat] = {}
        self._people: dict[int, Person] = {}
        self._updates = count(1)
        self._files = count(1)

    def view(self, person: Person) -> ChatView:
        return self._chat(person).view

    def _chat(self, person: Person) -> FakeChat:
        self._people[person.telegram_id] = person
        return self.chats.setdefault(person.telegram_id, FakeChat())

    def _sender(self, person: Person, message_id: int | None) -> Sender:
        return Sender(
            user_id=person.telegram_id,
            chat_id=person.telegram_id,
            first_name=person.name,
            language_code=person.language_code,
            message_id=message_id,
            update_id=next(self._updates),
        )

    async def send_text(self, person: Person, text: str) -> int:
        message_id = self._chat(person).add(from_bot=False, text=text)
        sender = self._sender(person, message_id)
        deps = self.core.deps
        if text.startswith("/"):
            head, *rest = text.strip().split(maxsplit=1)
            name, argument = head.lstrip("/").split("@", 1)[0].lower(), rest[0] if rest else ""
            if name == "start":
                payload = argument.split()
                outcome = await router.handle_start(deps, sender, payload[0] if payload else None)
            else:
                outcome = await router.handle_command(deps, sender, name, argument)
        else:
            outcome = await router.handle_text(deps, sender, text, None)
        await self._carry_out(person, outcome, None)
        return message_id

    async def send_voice(self, person: Person, seconds: int) -> int:
        file_id = f"voice-file-{next(self._files)}"
        message_id = self._chat(person).add(from_bot=False, media=f"voice {file_id}")
        sender = self._sender(person, message_id)
        outcome = await router.handle_voice(self.core.deps, sender, file_id, None, None, "voice")
        await self._carry_out(person, outcome, None)
        return message_id

    async def tap(self, person: Person, message_id: int, data: str) -> None:
        outcome = await router.handle_button(self.core.deps, self._sender(person, None), data)
        self._chat(person).view.toasts.append(outcome.toast or "")
        await self._carry_out(person, outcome, message_id)

    async def _carry_out(self, person: Person, outcome: Outcome, pressed: int | None) -> None:
        """What the Telegram handlers do with an Outcome: the edit, then the replies. What it
        queued goes out at the tick that ends every step (the handlers' wake, a little later)."""
        chat = self._chat(person)
        if outcome.edit is not None:
            target = chat.live(outcome.edit_message_id or pressed)
            if target is not None and target.from_bot and not target.media:
                chat.change(
                    target.message_id,
                    text=outcome.edit.text,
                    buttons=_message_keyboard(outcome.edit),
                )
        for reply in outcome.replies:
            chat.add(True, reply.text, _message_keyboard(reply))

    async def settle(self) -> None:
        """Nothing runs in the background here."""

    async def tick(self) -> None:
        """The repeating job: collect what is due, then send everything due now."""
        await collect_due(self.core.deps)
        while items := await delivery.claim(self.core.deps, 100, self._highest):
            for item in items:
                await self.apply_delivery(item)

    def _highest(self, chat_id: int) -> int | None:
        chat = self.chats.get(chat_id)
        return chat.highest() if chat else None

    async def apply_delivery(self, item: Delivery) -> None:
        """Carry out one outbox message on its chat and record it, as the outbox sender does
        (an edit or delete of a message that is gone, or changes nothing, is done)."""
        deps = self.core.deps
        chat = self.chats.get(item.chat_id)
        if chat is None:
            await delivery.undeliverable(deps, item, "Bad Request: chat not found", True)
            return
        sent = item.outgoing
        target = sent.target_message_id
        if target is not None:
            found = chat.live(target)
            if found is not None and sent.verb == Verb.DELETE:
                chat.change(found.message_id, deleted=True)
            elif found is not None and sent.verb == Verb.STRIP_BUTTONS:
                chat.change(found.message_id, buttons=())
            elif found is not None and found.from_bot and not found.media:
                assert sent.message is not None
                buttons = _message_keyboard(sent.message)
                chat.change(found.message_id, text=sent.message.text, buttons=buttons)
            await delivery.delivered(deps, item, target)
            return
        assert sent.message is not None
        media, text = sent.message.media, sent.message.text
        buttons = _message_keyboard(sent.message)
        if media and (media.kind == "video_note" or len(text) > CAPTION_LIMIT):
            chat.add(True, text)
            text = ""
        described = f"{media.kind} {media.file_id}" if media else ""
        message_id = chat.add(True, text, buttons, described)
        await delivery.record_message_id(deps, item, message_id)
        await delivery.delivered(deps, item, message_id)
