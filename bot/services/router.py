"""The core's front door: one entry per kind of input, each checked against the sender's roles.

A channel calls these with plain values and sends back what they return. Unknown people get the
same generic answer for everything, so nobody learns who is enrolled.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db import people_repo
from bot.adapters.db.models import Person
from bot.domain import actions
from bot.domain.people import Role
from bot.services import (
    checkin_view,
    checkins,
    consent_flow,
    coordinator_commands,
    person_commands,
)
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.outcome import Outcome, Sender

log = logging.getLogger(__name__)

Handler = Callable[[Deps, AsyncSession, Sender, list[Person], list[str]], Awaitable[Outcome]]


@dataclass(frozen=True)
class Command:
    roles: frozenset[Role]
    handler: Handler


EVERYONE = frozenset(Role)
COMMANDS: dict[str, Command] = {
    "help": Command(EVERYONE, person_commands.help_command),
    "language": Command(EVERYONE, person_commands.language_command),
    "pause": Command(frozenset({Role.CHILD}), person_commands.pause_command),
    "resume": Command(frozenset({Role.CHILD}), person_commands.resume_command),
    "invite": Command(frozenset({Role.COORDINATOR}), coordinator_commands.invite_command),
    "assign": Command(frozenset({Role.COORDINATOR}), coordinator_commands.assign_command),
    "consent": Command(frozenset({Role.COORDINATOR}), coordinator_commands.consent_command),
    "checkin_now": Command(
        frozenset({Role.COORDINATOR}), coordinator_commands.checkin_now_command
    ),
    "schedule": Command(frozenset({Role.COORDINATOR}), coordinator_commands.schedule_command),
}


def roles_of(people: Sequence[Person]) -> set[Role]:
    return {Role(p.role) for p in people}


def _locale(deps: Deps, people: Sequence[Person]) -> str:
    return people[0].locale if people else deps.settings.default_locale


def stranger_reply(deps: Deps, sender: Sender) -> Outcome:
    locale = "en" if (sender.language_code or "").startswith("en") else None
    return Outcome.reply(deps.texts.render("stranger", locale))


def _error(deps: Deps, error: UserError, locale: str) -> Outcome:
    return Outcome.reply(deps.texts.render("error", locale, reason=error.reason, **error.params))


async def handle_start(deps: Deps, sender: Sender, payload: str | None) -> Outcome:
    async with deps.sessions.begin() as session:
        return await person_commands.start(deps, session, sender, payload)


async def handle_command(deps: Deps, sender: Sender, name: str, args: list[str]) -> Outcome:
    async with deps.sessions.begin() as session:
        people = list(await people_repo.people_on_account(session, sender.user_id))
        if not people:
            return stranger_reply(deps, sender)
        command = COMMANDS.get(name)
        locale = _locale(deps, people)
        if command is None or not (roles_of(people) & command.roles):
            return Outcome.reply(deps.texts.render("unknown_command", locale))
        allowed = [p for p in people if Role(p.role) in command.roles]
        try:
            async with session.begin_nested():
                return await command.handler(deps, session, sender, allowed, args)
        except UserError as error:
            return _error(deps, error, locale)


async def handle_button(deps: Deps, sender: Sender, data: str | None) -> Outcome:
    action = actions.decode(data)
    async with deps.sessions.begin() as session:
        people = list(await people_repo.people_on_account(session, sender.user_id))
        if action is None or not people:
            return Outcome(toast=deps.texts.label("button_unknown", _locale(deps, people)))
        by_role = {role: [p for p in people if p.role == role] for role in Role}
        match action:
            case actions.CheckinAnswer():
                return await checkins.record_tap(deps, session, sender.user_id, action)
            case actions.GuardianConsent():
                return await consent_flow.guardian_answer(
                    deps, session, by_role[Role.PARENT], action
                )
            case actions.ChildAssent():
                return await consent_flow.child_answer(deps, session, by_role[Role.CHILD], action)
            case actions.ChooseLanguage():
                return await person_commands.choose_language(deps, session, sender, action)
    return Outcome(toast=deps.texts.label("button_unknown", None))


async def handle_text(
    deps: Deps, sender: Sender, text: str, reply_to: int | None = None
) -> Outcome:
    return await _words(deps, sender, text=text, reply_to=reply_to)


async def handle_voice(
    deps: Deps, sender: Sender, file_id: str, reply_to: int | None = None
) -> Outcome:
    return await _words(deps, sender, file_id=file_id, reply_to=reply_to)


async def _words(
    deps: Deps,
    sender: Sender,
    text: str | None = None,
    file_id: str | None = None,
    reply_to: int | None = None,
) -> Outcome:
    """Free words count only as a check-in's last step; otherwise a kind pointer to what works."""
    async with deps.sessions.begin() as session:
        people = list(await people_repo.people_on_account(session, sender.user_id))
        if not people:
            return stranger_reply(deps, sender)
        locale = _locale(deps, people)
        try:
            stored = await checkins.record_words(
                deps, session, sender.user_id, text, file_id, reply_to
            )
        except UserError as error:
            return _error(deps, error, locale)
        if stored is not None:
            checkin, child = stored
            done = checkin_view.done_message(deps, child.display_name, child.locale, True)
            return Outcome(
                edit=done,
                edit_message_id=checkin.message_id,
                delete_incoming=True,
                replies=[] if checkin.message_id else [done],
            )
        in_checkin = Role.CHILD in roles_of(people)
        return Outcome.reply(deps.texts.render("free_text", locale, child=in_checkin))


async def handle_unsupported(deps: Deps, sender: Sender) -> Outcome:
    """Stickers, locations, files: a kind word about what the bot understands."""
    async with deps.sessions.begin() as session:
        people = list(await people_repo.people_on_account(session, sender.user_id))
    if not people:
        return stranger_reply(deps, sender)
    return Outcome.reply(deps.texts.render("unsupported", _locale(deps, people)))
