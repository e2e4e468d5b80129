"""Playing a transcript's steps on a channel (the core alone, or the emulator) and writing down
what each step changed in everyone's chat.

Every step ends with one run of the repeating tick, as the running bot's tick would follow
within seconds without the clock moving: so the transcript does not depend on whether a tap
wakes the sender alone or the whole tick.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from sqlalchemy import select

from bot.adapters.db.models import ChildProfile
from bot.adapters.db.models import Person as PersonRow
from bot.adapters.db.store import Store
from bot.bootstrap import Core
from bot.clock import FakeClock
from bot.services.people.enrolment import InviteRequest, create_invite
from tests.transcripts.script import Person, Script, Step
from tests.transcripts.view import (
    Aliases,
    ChatView,
    Numbering,
    Shown,
    changes,
    register_hidden,
)

CONSENT_PREFIXES = ("a:", "g:")  # a child's assent, a guardian's consent


class Channel(Protocol):
    core: Core

    def view(self, person: Person) -> ChatView: ...
    async def send_text(self, person: Person, text: str) -> int: ...
    async def send_voice(self, person: Person, seconds: int) -> int: ...
    async def tap(self, person: Person, message_id: int, data: str) -> None: ...
    async def tick(self) -> None: ...
    async def settle(self) -> None: ...


def _copy(view: ChatView) -> ChatView:
    return ChatView(dict(view.messages), list(view.toasts))


def _request(person: Person) -> InviteRequest:
    if person.role == "child":
        fields = {"age_band": person.age_band, "guardianship": person.guardianship}
        return InviteRequest.of("child", name=person.name, **fields)
    return InviteRequest.of(person.role, name=person.name, child=person.of)


def _newest_first(view: ChatView) -> list[Shown]:
    """The live messages of a chat, newest first."""
    live = [m for m in view.messages.values() if not m.deleted]
    return sorted(live, key=lambda m: -m.message_id)


class Player:
    def __init__(self, script: Script, channel: Channel, clock: FakeClock) -> None:
        self.script = script
        self.channel = channel
        self.clock = clock
        self.aliases = Aliases()
        self.numbering = Numbering()
        self.own_steps: dict[str, dict[int, int]] = {p.name: {} for p in script.people}

    async def play(self) -> str:
        self.clock.set(self.script.start)
        for person in self.script.people:
            await self._enrol(person)
        await self._end_of_step()
        lines: list[str] = []
        for number, step in enumerate(self.script.steps, start=1):
            before = {p.name: _copy(self.channel.view(p)) for p in self.script.people}
            await self._perform(number, step)
            await self._end_of_step()
            lines.append(f"[{number}] {self._now()} · {step.echo}")
            lines += self._changes(step, before)
        return "\n".join(lines) + "\n"

    def _changes(self, step: Step, before: dict[str, ChatView]) -> list[str]:
        found: list[str] = []
        hidden: list[str] = []
        for person in self.script.people:
            after = self.channel.view(person)
            if step.show is not None and person.name not in step.show:
                register_hidden(person.name, before[person.name], after, self.aliases)
                hidden.append(person.name)
                continue
            own = self.own_steps[person.name]
            found += changes(
                person.name, before[person.name], after, self.aliases, self.numbering, own
            )
        if hidden:
            found.append(f"  (not shown here: what {', '.join(hidden)} saw)")
        return found

    def _now(self) -> str:
        return self.clock.now().astimezone(self.script.start.tzinfo).strftime("%a %d %b %H:%M")

    async def _end_of_step(self) -> None:
        await self.channel.settle()
        await self.channel.tick()
        await self.channel.settle()

    async def _enrol(self, person: Person) -> None:
        """An invite made as the coordinator's command would, opened, and consent given."""
        deps = self.channel.core.deps
        async with deps.stores.sessions.begin() as session:
            issued = await create_invite(deps, Store(session), _request(person), None)
        await self.channel.send_text(person, f"/start {issued.link.rsplit('=', 1)[1]}")
        await self.channel.settle()
        for message in _newest_first(self.channel.view(person)):
            data = [d for row in message.buttons for _, d in row]
            agree = [d for d in data if d.startswith(CONSENT_PREFIXES) and d.endswith(":y")]
            if agree:
                await self.channel.tap(person, message.message_id, agree[0])
                await self.channel.settle()
                return

    async def _perform(self, number: int, step: Step) -> None:
        person = self.script.by_name.get(step.who)
        if step.verb == "at":
            if step.value < self.clock.now():
                raise ValueError(f"step {number}: the clock cannot go back to {step.value}")
            self.clock.set(step.value)
        elif step.verb == "wait":
            self.clock.advance(step.value)
        elif step.verb == "says":
            sent = await self.channel.send_text(person, str(step.value))
            self.own_steps[person.name][sent] = number
        elif step.verb == "voice":
            sent = await self.channel.send_voice(person, int(step.value))
            self.own_steps[person.name][sent] = number
        elif step.verb == "taps":
            await self._tap(person, str(step.value))
        elif step.verb == "checkins":
            for _ in range(int(step.value["count"])):
                await self._answer_next_checkin(person, step.value["taps"])

    async def _tap(self, person: Person, label: str) -> None:
        """Press the button whose label contains `label` on the newest message that has one."""
        messages = _newest_first(self.channel.view(person))
        for message in messages:
            for row in message.buttons:
                for text, data in row:
                    if label in text:
                        await self.channel.tap(person, message.message_id, data)
                        return
        shown = [text for m in messages for row in m.buttons for text, _ in row]
        raise AssertionError(f"{person.name} has no button {label!r}; buttons: {shown}")

    async def _answer_next_checkin(self, person: Person, taps: list[str]) -> None:
        """Move the clock to the child's next scheduled check-in, let it come, tap it through."""
        async with self.channel.core.deps.stores.sessions() as session:
            query = (
                select(ChildProfile.next_checkin_at)
                .join(PersonRow, PersonRow.id == ChildProfile.person_id)
                .where(PersonRow.telegram_id == person.telegram_id)
            )
            due = await session.scalar(query)
        if due is None:
            raise AssertionError(f"{person.name} has no next check-in scheduled")
        self.clock.set(max(due, self.clock.now()))
        await self._end_of_step()
        for label in taps:
            await self._tap(person, str(label))
            await self.channel.settle()
        self.clock.advance(timedelta(minutes=1))
