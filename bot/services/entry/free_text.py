"""Reading free words: the screen first, then the facts `domain.text_meaning` asks for, in its
order, then the one answer it names (`readings`).

The crisis screen judges the words once, here, before anything else; what its verdict raises
(the crisis path, or a "please read" alert) is raised once too, for the children whose words
these are, which only the reading can tell (the child answering a parent, the child whose
check-in took the words, else every child on the phone).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.detection import URGENT
from bot.domain.people import LinkKind, Role
from bot.domain.text_meaning import Ask, Facts, Meaning, Words, meaning
from bot.services.alerts import answers, crisis_path
from bot.services.checkins import checkins
from bot.services.deps import Deps
from bot.services.entry.readings import READINGS, Said
from bot.services.errors import UserError
from bot.services.family import relay_replies
from bot.services.outcome import Outcome, Sender


async def understand(
    deps: Deps,
    store: Store,
    sender: Sender,
    kind: str,
    text: str | None = None,
    file_id: str | None = None,
    reply_to: int | None = None,
) -> Outcome:
    """Free words (text, or a voice note with its caption): read, then answered."""
    people = list(await store.people.people_on_account(sender.user_id))
    said = Said(sender, people, kind, text, file_id, reply_to)
    if text and said.children:  # only a child's words are screened (a stranger's never)
        said.verdict = crisis_path.assess_words(deps, text)
    found = await read(deps, store, said)
    speakers = _speakers(found, said)
    if text and said.verdict is not None and speakers:
        said.crisis = await crisis_path.answer_verdict(deps, store, speakers, text, said.verdict)
    return await READINGS[found](deps, store, said)


async def read(deps: Deps, store: Store, said: Said) -> Meaning:
    """What the words mean: each fact looked up only when `meaning` asks for it."""
    urgent = said.verdict is not None and said.verdict.level == URGENT
    facts = Facts(
        enrolled=bool(said.people),
        has_text=bool(said.text),
        crisis=urgent and bool(said.children),
    )
    while True:
        answer = meaning(facts)
        if isinstance(answer, Meaning):
            return answer
        facts = await _LOOKUPS[answer](deps, store, said, facts)


def _speakers(found: Meaning, said: Said) -> Sequence[Person]:
    """Whose words the screen's verdict is about; nobody's when the reading is an adult's."""
    if found in (Meaning.HELP_WORDS, Meaning.CRISIS_AFTER_HELP) and said.helped:
        return [said.helped]
    if found in (Meaning.REPLY, Meaning.CRISIS_IN_REPLY) and said.answered:
        return [said.answered[0]]
    if found in (Meaning.CHECKIN_WORDS, Meaning.CRISIS_IN_CHECKIN) and said.stored:
        return [said.stored[1]]  # words on one child's check-in are that child's
    if found in (Meaning.CRISIS, Meaning.UNCLEAR, Meaning.FREE_TEXT):
        return said.children  # otherwise any child's here
    return []


async def _note(deps: Deps, store: Store, said: Said, facts: Facts) -> Facts:
    for person in said.people:
        if person.awaiting and await answers.owes_note(deps, store, person, said.text or ""):
            said.note_taker = person
            break
    return replace(facts, note_awaited=said.note_taker is not None)


async def _help(deps: Deps, store: Store, said: Said, facts: Facts) -> Facts:
    said.helped = crisis_path.help_awaited(deps, said.children)
    return replace(facts, help_awaited=said.helped is not None)


async def _reply(deps: Deps, store: Store, said: Said, facts: Facts) -> Facts:
    """Forgets a stale "Reply" on the way, so it is asked only when nothing before it applies."""
    said.answered = await relay_replies.reply_target(deps, store, said.children, said.reply_to)
    return replace(facts, replying=said.answered is not None)


async def _parent(deps: Deps, store: Store, said: Said, facts: Facts) -> Facts:
    """A parent on an account no child shares, with a child to write to (a carer at home
    without one is not relaying at all)."""
    parent = far_parent(said.people)
    if parent is not None and await store.people.linked_children(parent.id, LinkKind.PARENT):
        said.parent = parent
    return replace(facts, parent_writes=said.parent is not None)


async def _checkin(deps: Deps, store: Store, said: Said, facts: Facts) -> Facts:
    """The check-in waiting for words takes them now (saved before the screen's alerts)."""
    media = said.kind if said.file_id else None
    try:
        said.stored = await checkins.record_words(
            deps, store, said.sender.user_id, said.text, said.file_id, said.reply_to, media
        )
    except UserError as error:
        said.unclear = error
        return replace(facts, checkin=Words.UNCLEAR)
    return replace(facts, checkin=Words.STORED if said.stored else Words.NONE)


_LOOKUPS: dict[Ask, Callable[[Deps, Store, Said, Facts], Awaitable[Facts]]] = {
    Ask.NOTE: _note,
    Ask.HELP: _help,
    Ask.REPLY: _reply,
    Ask.PARENT: _parent,
    Ask.CHECKIN: _checkin,
}


def far_parent(people: Sequence[Person]) -> Person | None:
    """The parent on this account, unless a child shares it (then words are the child's)."""
    if any(p.role == Role.CHILD for p in people):
        return None
    return next((p for p in people if p.role == Role.PARENT), None)
