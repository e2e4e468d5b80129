"""The commands, who may use each, how its words are split, and running one.

A command is open to the roles listed, and is handed only the people on the account who hold
one of them. Anyone else gets "unknown command", the same words as for a command that does not
exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.people import Role
from bot.services.alerts import casework, highlights, peer_flag
from bot.services.deps import Deps
from bot.services.errors import UserError, error_reply
from bot.services.family import (
    call_commands,
    departure_commands,
    parent_settings,
    relay_controls,
)
from bot.services.outcome import Outcome, Sender
from bot.services.people import coordinator_commands, person_commands, program_settings

Handler = Callable[[Deps, Store, Sender, list[Person], list[str]], Awaitable[Outcome]]


@dataclass(frozen=True)
class Command:
    roles: frozenset[Role]
    handler: Handler
    free_text_after: int | None = None
    """After this many words the rest of the message is one argument, line breaks and all
    (a case note); None splits every word."""

    def arguments(self, text: str) -> list[str]:
        if self.free_text_after is None:
            return text.split()
        return [part.strip() for part in text.split(maxsplit=self.free_text_after)]


EVERYONE = frozenset(Role)
STAFF = frozenset({Role.VOLUNTEER, Role.COORDINATOR})
CHILD = frozenset({Role.CHILD})
PARENT = frozenset({Role.PARENT})
COORDINATOR = frozenset({Role.COORDINATOR})
COMMANDS: dict[str, Command] = {
    "help": Command(EVERYONE, person_commands.help_command),
    "language": Command(EVERYONE, person_commands.language_command),
    "pause": Command(CHILD, person_commands.pause_command),
    "resume": Command(CHILD, person_commands.resume_command),
    "invite": Command(COORDINATOR, coordinator_commands.invite_command),
    "assign": Command(COORDINATOR, coordinator_commands.assign_command),
    "consent": Command(COORDINATOR, coordinator_commands.consent_command),
    "checkin_now": Command(COORDINATOR, coordinator_commands.checkin_now_command),
    "schedule": Command(COORDINATOR, coordinator_commands.schedule_command),
    "sos": Command(CHILD, person_commands.sos_command, free_text_after=0),
    "mychildren": Command(STAFF, casework.mychildren_command),
    "child": Command(STAFF, casework.child_command),
    "note": Command(STAFF, casework.note_command, free_text_after=1),
    "alerts": Command(STAFF, casework.alerts_command),
    "mute": Command(CHILD, relay_controls.mute_command),
    "unmute": Command(CHILD, relay_controls.unmute_command),
    "relay": Command(COORDINATOR, relay_controls.relay_command),
    "call": Command(PARENT, call_commands.call_command),
    "share": Command(CHILD, highlights.share_command),
    "moodwords": Command(COORDINATOR, program_settings.mood_words_command),
    "timezone": Command(PARENT, parent_settings.timezone_command),
    "workhours": Command(PARENT, parent_settings.workhours_command),
    "reminders": Command(PARENT, parent_settings.reminders_command),
    "visit": Command(PARENT | COORDINATOR, departure_commands.visit_command),
    "flagged": Command(COORDINATOR, peer_flag.flagged_command),
}


async def run(
    deps: Deps,
    store: Store,
    sender: Sender,
    people: list[Person],
    name: str,
    text: str,
) -> Outcome:
    """Run `/name text` for an enrolled account; a use case's expected failure is a reply,
    and whatever it wrote before failing is rolled back."""
    command = COMMANDS.get(name)
    locale = people[0].locale
    if command is None or not ({Role(p.role) for p in people} & command.roles):
        return Outcome.reply(deps.texts.render("unknown_command", locale))
    allowed = [p for p in people if Role(p.role) in command.roles]
    try:
        async with store.savepoint():
            return await command.handler(deps, store, sender, allowed, command.arguments(text))
    except UserError as error:
        return error_reply(deps, error, locale)
