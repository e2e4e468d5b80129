"""A child's own check-in words and voice notes, as their volunteer and coordinators see them.

Callers have already checked that the reader may see this child (casework and alerts do) and
log the look. Words are shown escaped by the templates, newest first, dated, a few and each
cut short; nothing older than the retention period is shown, even before the hourly purge.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.adapters.db.models import Answer, Person
from bot.adapters.db.store import Store
from bot.domain.actions import ListenVoice, encode
from bot.domain.child_words import kept_since, shorten
from bot.services.deps import Deps
from bot.services.formatting import local_time
from bot.services.outcome import Button, Keyboard
from bot.services.people import program_settings

log = logging.getLogger(__name__)
FORGOTTEN, FORGET_EVERY = "checkin_words_forgotten", timedelta(hours=1)
# Outbox kinds that carry a child's voice note to staff: forgotten with the words.
LISTEN_KIND = "voice_listen"


@dataclass(frozen=True)
class WordsRow:
    """One piece of words as a template shows it (the text still raw: templates escape)."""

    answer_id: int
    at: str
    text: str | None
    voice: bool
    urgent: bool


async def recent_words(
    deps: Deps,
    store: Store,
    child_id: int,
    reader: Person,
    limit: int,
    leave_out: str | None = None,
) -> list[WordsRow]:
    """The child's newest words still kept, dated on the reader's clock.

    `leave_out` is text the message shows already (a crisis alert's excerpt): not twice.
    """
    answers = await store.checkins.words_of(
        child_id, kept_since(deps.clock.now()), limit + (1 if leave_out else 0)
    )
    rows = [
        _row(deps, answer, reader)
        for answer in answers
        if not (leave_out and answer.file_id is None and _same(answer.text, leave_out))
    ]
    return rows[:limit]


def _same(text: str | None, excerpt: str) -> bool:
    return bool(text) and (text == excerpt or text.startswith(excerpt))


def _row(deps: Deps, answer: Answer, reader: Person) -> WordsRow:
    return WordsRow(
        answer_id=answer.id,
        at=local_time(deps, answer.answered_at, reader.timezone, reader.locale),
        text=shorten(answer.text) if answer.text else None,
        voice=answer.file_id is not None,
        urgent=answer.crisis_alerted,
    )


def listen_button(deps: Deps, answer_id: int, at: str | None, locale: str) -> Button:
    label = deps.texts.label("listen_voice", locale)
    return Button(f"{label} ({at})" if at else label, encode(ListenVoice(answer_id)))


def listen_buttons(deps: Deps, rows: Sequence[WordsRow], locale: str) -> Keyboard:
    """One "listen" button per voice note shown, labelled with its date."""
    return tuple((listen_button(deps, r.answer_id, r.at, locale),) for r in rows if r.voice)


async def forget_old_words(deps: Deps) -> int:
    """Once an hour, clear check-in words and voice notes past their retention (nothing is
    queued, so this returns 0 for the tick's count)."""
    now = deps.clock.now()
    async with deps.stores.begin() as store:
        if not await program_settings.claim_chore(store, FORGOTTEN, FORGET_EVERY, now):
            return 0
        cleared = await store.checkins.forget_words(kept_since(now), (LISTEN_KIND,))
    if cleared:
        log.info("check-in words of %s answers forgotten", cleared)
    return 0
