"""The core's front door: one entry per kind of input, each checked against the sender's roles.

A channel calls these with plain values and sends back what they return. Unknown people get the
same generic answer for everything, so nobody learns who is enrolled, and only a few times
(`strangers`): a flood from one account must not hold up anyone's alerts.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.people import Role
from bot.domain.relay import RelayKind
from bot.services.alerts import crisis_path
from bot.services.checkins.settle import settle
from bot.services.deps import Deps
from bot.services.entry import button_table, command_table, free_text
from bot.services.entry.free_text import far_parent
from bot.services.entry.strangers import reader_locale, sender_locale, stranger_reply
from bot.services.family import relay_in
from bot.services.outcome import Outcome, Sender
from bot.services.people import person_commands

log = logging.getLogger(__name__)


def _transactional(
    work: Callable[..., Awaitable[Outcome]],
) -> Callable[..., Awaitable[Outcome]]:
    """Run a handler in one transaction with what it leaves to the outbox (`settle`); if
    anything was queued, ask the channel to send now."""

    @functools.wraps(work)
    async def run(deps: Deps, sender: Sender, *args: Any, **kwargs: Any) -> Outcome:
        async with deps.stores.begin() as store:
            outcome = await work(deps, store, sender, *args, **kwargs)
            await settle(deps, store, sender, outcome)
            queued = store.outbox.queued_in()
        if queued:
            outcome.outbox_changed = True
        return outcome

    return run


async def try_again_text(deps: Deps, sender: Sender | None) -> str:
    """The kind "please try again" after an unexpected failure, in the reader's language.

    The failure may be the database itself: then the language Telegram reports is used.
    """
    locale = sender_locale(sender) if sender is not None else None
    if sender is not None:
        try:
            async with deps.stores.read() as store:
                people = await store.people.people_on_account(sender.user_id)
                locale = reader_locale(sender, list(people))
        except Exception:  # the answer must go out whatever failed
            log.warning("could not look up the reader's language for the error notice")
    return deps.texts.label("try_again", locale)


@_transactional
async def handle_start(deps: Deps, store: Store, sender: Sender, payload: str | None) -> Outcome:
    return await person_commands.start(deps, store, sender, payload)


@_transactional
async def handle_command(
    deps: Deps, store: Store, sender: Sender, name: str, text: str = ""
) -> Outcome:
    """`text` is everything after the command word, as typed; the command splits it."""
    people = list(await store.people.people_on_account(sender.user_id))
    if not people:
        return stranger_reply(deps, sender)
    return await command_table.run(deps, store, sender, people, name, text)


@_transactional
async def handle_button(deps: Deps, store: Store, sender: Sender, data: str | None) -> Outcome:
    """A tap: answered by the service `button_table` names for its action."""
    people = list(await store.people.people_on_account(sender.user_id))
    return await button_table.press(deps, store, sender, people, data)


_words = _transactional(free_text.understand)
"""Free words: read in the order `domain.text_meaning` keeps, each answered by its reading."""


async def handle_text(
    deps: Deps, sender: Sender, text: str, reply_to: int | None = None
) -> Outcome:
    return await _words(deps, sender, RelayKind.TEXT, text=text, reply_to=reply_to)


async def handle_voice(
    deps: Deps,
    sender: Sender,
    file_id: str,
    reply_to: int | None = None,
    caption: str | None = None,
    kind: str = RelayKind.VOICE,
) -> Outcome:
    """A voice note (or an audio file, `kind` "audio": a child's words, not a relay)."""
    return await _words(deps, sender, kind, text=caption, file_id=file_id, reply_to=reply_to)


@_transactional
async def handle_media(
    deps: Deps,
    store: Store,
    sender: Sender,
    kind: str,
    file_id: str,
    caption: str | None = None,
    reply_to: int | None = None,
) -> Outcome:
    """A photo or video note: a parent's is passed on to their child; from anyone else it is
    something the bot does not read (a child's caption is still screened)."""
    people = list(await store.people.people_on_account(sender.user_id))
    parent = far_parent(people)
    if parent is not None:
        sent = await relay_in.parent_sends(deps, store, parent, kind, caption, file_id, reply_to)
        if sent is not None:
            return sent
    return await _unsupported(deps, store, sender, people, caption)


@_transactional
async def handle_unsupported(
    deps: Deps, store: Store, sender: Sender, caption: str | None = None
) -> Outcome:
    """Stickers, photos, files: a kind word about what the bot understands; but a caption from
    a child is screened for crisis words like any other text."""
    people = list(await store.people.people_on_account(sender.user_id))
    parent = far_parent(people)
    explained = await relay_in.explain_unsupported(deps, store, parent) if parent else None
    return explained or await _unsupported(deps, store, sender, people, caption)


async def _unsupported(
    deps: Deps,
    store: Store,
    sender: Sender,
    people: list[Person],
    caption: str | None,
) -> Outcome:
    if not people:
        return stranger_reply(deps, sender)
    children = [p for p in people if p.role == Role.CHILD]
    if caption and children:
        crisis = await crisis_path.screen_child_text(deps, store, children, caption)
        if crisis is not None:
            return crisis
    return Outcome.reply(deps.texts.render("unsupported", people[0].locale))
