"""The answer to each reading of free words (`domain.text_meaning.Meaning`), one small function
each, over what reading them found (`Said`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.adapters.db.models import Checkin, Person, Relay
from bot.adapters.db.store import Store
from bot.domain.detection import Assessment
from bot.domain.people import Role
from bot.domain.text_meaning import Meaning
from bot.services.alerts import answers, crisis_path
from bot.services.checkins import checkin_view, checkins
from bot.services.deps import Deps
from bot.services.entry.strangers import stranger_reply
from bot.services.errors import UserError, error_reply
from bot.services.family import relay_in, relay_replies
from bot.services.outcome import Outcome, Sender


@dataclass
class Said:
    """One message of free words, and what reading it found out."""

    sender: Sender
    people: list[Person]
    kind: str
    text: str | None
    file_id: str | None
    reply_to: int | None
    verdict: Assessment | None = None
    crisis: Outcome | None = None
    """The crisis path's answer, when the screen found crisis words of the speaking child."""
    note_taker: Person | None = None
    helped: Person | None = None
    answered: tuple[Person, Relay] | None = None
    parent: Person | None = None
    stored: tuple[Checkin, Person] | None = None
    unclear: UserError | None = None
    children: list[Person] = field(init=False)

    def __post_init__(self) -> None:
        self.children = [p for p in self.people if p.role == Role.CHILD]

    @property
    def locale(self) -> str:
        return self.people[0].locale


Reading = Callable[[Deps, Store, Said], Awaitable[Outcome]]


async def _stranger(deps: Deps, store: Store, said: Said) -> Outcome:
    return stranger_reply(deps, said.sender)


async def _note(deps: Deps, store: Store, said: Said) -> Outcome:
    assert said.note_taker is not None and said.text
    noted = await answers.record_outcome(deps, store, said.note_taker, said.text)
    assert noted is not None  # `answers.owes_note` said it would be taken
    return noted


async def _help_words(deps: Deps, store: Store, said: Said) -> Outcome:
    assert said.helped is not None and said.text
    return await crisis_path.help_words(deps, store, said.helped, said.text, said.crisis)


async def _reply(deps: Deps, store: Store, said: Said) -> Outcome:
    assert said.answered is not None
    child, original = said.answered
    return await relay_replies.child_replies(
        deps, store, child, original, said.kind, said.text, said.file_id
    )


async def _crisis(deps: Deps, store: Store, said: Said) -> Outcome:
    """Kept in the alert for the volunteer; never passed on to a parent."""
    assert said.crisis is not None
    return said.crisis


async def _parent_message(deps: Deps, store: Store, said: Said) -> Outcome:
    assert said.parent is not None
    sent = await relay_in.parent_sends(
        deps, store, said.parent, said.kind, said.text, said.file_id, said.reply_to
    )
    assert sent is not None  # the parent has a child to write to
    return sent


def _finished(deps: Deps, said: Said) -> Outcome:
    """The check-in's last message turned into its "done" line (sent anew if it has none)."""
    assert said.stored is not None
    checkin, child = said.stored
    done = checkin_view.done_message(deps, child.display_name, child.locale, True)
    return Outcome(
        edit=done,
        edit_message_id=checkin.message_id,
        delete_incoming=True,
        replies=[] if checkin.message_id else [done],
    )


async def _checkin_words(deps: Deps, store: Store, said: Said) -> Outcome:
    return _finished(deps, said)


async def _crisis_in_checkin(deps: Deps, store: Store, said: Said) -> Outcome:
    """The words stay on the check-in, marked as alerted; the child gets the crisis reply."""
    assert said.stored is not None and said.crisis is not None
    finished = _finished(deps, said)
    await checkins.words_alerted(deps, store, said.stored[0])
    crisis = said.crisis
    crisis.edit, crisis.edit_message_id = finished.edit, finished.edit_message_id
    return crisis


async def _unclear(deps: Deps, store: Store, said: Said) -> Outcome:
    assert said.unclear is not None
    return error_reply(deps, said.unclear, said.locale)


async def _free_text(deps: Deps, store: Store, said: Said) -> Outcome:
    return Outcome.reply(deps.texts.render("free_text", said.locale, child=bool(said.children)))


READINGS: dict[Meaning, Reading] = {
    Meaning.STRANGER: _stranger,
    Meaning.NOTE: _note,
    Meaning.HELP_WORDS: _help_words,
    Meaning.CRISIS_AFTER_HELP: _help_words,
    Meaning.REPLY: _reply,
    Meaning.CRISIS_IN_REPLY: _crisis,
    Meaning.PARENT_MESSAGE: _parent_message,
    Meaning.CHECKIN_WORDS: _checkin_words,
    Meaning.CRISIS_IN_CHECKIN: _crisis_in_checkin,
    Meaning.CRISIS: _crisis,
    Meaning.UNCLEAR: _unclear,
    Meaning.FREE_TEXT: _free_text,
}
