"""Check-in use cases: open one, record a tap, record the child's words, close it.

Each tap is stored in its own short transaction the moment it arrives; the conditional step
update in the repository makes a double tap or an old copy of a button store nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.adapters.db.models import Answer, Checkin, Person
from bot.adapters.db.store import Store
from bot.domain.actions import CheckinAnswer
from bot.domain.checkin_rules import (
    DONE_STEP,
    SKIP,
    CheckinKind,
    CheckinStatus,
    CheckinView,
    TapVerdict,
    end_status,
    judge_tap,
    reminder_time,
)
from bot.domain.outgoing import Outgoing, Verb
from bot.services.access import OWN, act_for
from bot.services.alerts import monitoring
from bot.services.checkins import checkin_view, voice_notes
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.outcome import Message, Outcome, Sender

log = logging.getLogger(__name__)
WORDS_LIMIT = 4096


async def close_checkin(
    deps: Deps, store: Store, checkin: Checkin, status: CheckinStatus | None
) -> None:
    """End an open check-in (missed, incomplete, or the status given) and retire its buttons.

    Its message is edited to a neutral "closed" note, so no live button outlasts the check-in.
    """
    if status is None:
        status = end_status(await store.checkins.count_answers(checkin.id))
    checkin.status = status.value
    checkin.remind_at = None
    await monitoring.observe(deps, store, checkin)
    child = await store.get(Person, checkin.child_id)
    if child is None or child.telegram_id is None or checkin.message_id is None:
        return
    now = deps.clock.now()
    closed = Outgoing(
        person_id=child.id,
        chat_id=child.telegram_id,
        kind="checkin_closed",
        send_after=now,
        message=checkin_view.closed_message(deps, child.locale),
        verb=Verb.EDIT,
        target_message_id=checkin.message_id,
        checkin_id=checkin.id,
        dedupe_key=f"closed:{checkin.id}",
    )
    await store.outbox.enqueue(closed, now)


async def open_checkin(
    deps: Deps, store: Store, child: Person, kind: CheckinKind, send_at: datetime
) -> Checkin:
    """Create a check-in and queue its first message; an older open one is closed first."""
    now = deps.clock.now()
    previous = await store.checkins.open_checkin(child.id)
    if previous is not None:
        await close_checkin(deps, store, previous, None)
    window = timedelta(hours=deps.settings.checkin_window_hours)
    checkin = Checkin(
        child_id=child.id,
        kind=kind.value,
        status=CheckinStatus.OPEN.value,
        step=checkin_view.questions(deps, kind.value).first_step,
        due_at=send_at,
        expires_at=send_at + window,
        remind_at=reminder_time(
            send_at,
            send_at + window,
            timedelta(hours=deps.settings.checkin_reminder_hours),
            deps.tz_of(child.timezone),
            deps.settings.blocked_times,
        ),
        chat_id=child.telegram_id,
    )
    store.add(checkin)
    await store.flush()
    first = Outgoing(
        person_id=child.id,
        chat_id=child.telegram_id or 0,
        kind="checkin",
        send_after=send_at,
        message=checkin_view.step_message(deps, checkin, checkin.step, child),
        checkin_id=checkin.id,
        dedupe_key=f"checkin:{checkin.id}",
    )
    await store.outbox.enqueue(first, now)
    return checkin


async def record_tap(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: CheckinAnswer
) -> Outcome:
    now = deps.clock.now()
    checkin = await store.get(Checkin, action.checkin_id)
    access = await act_for(store, people, checkin.child_id, OWN) if checkin else None
    if checkin is None or access is None:
        # Same words for "no such check-in" and "someone else's": a forged button learns nothing.
        return Outcome.refusal()
    child = access.person
    locale = child.locale
    view = CheckinView(checkin.status, checkin.step, checkin.expires_at)
    form = checkin_view.questions(deps, checkin.kind)
    verdict = judge_tap(view, action.step, action.value, form, now)
    if verdict == TapVerdict.INVALID:
        return Outcome.refusal()
    if verdict == TapVerdict.CLOSED:
        return Outcome(
            toast=deps.texts.label("checkin_closed", locale),
            edit=checkin_view.closed_message(deps, locale),
        )
    next_step = form.next_step(action.step) or DONE_STEP
    if verdict == TapVerdict.ALREADY or not await store.checkins.advance(
        checkin.id, action.step, next_step
    ):
        # Show where the check-in really is: the screen may be stale after a lost edit.
        await store.refresh(checkin)
        return Outcome(
            toast=deps.texts.label("already_noted", locale),
            edit=current_screen(deps, checkin, child),
        )
    value = None if action.value == SKIP else action.value
    store.add(Answer(checkin_id=checkin.id, question=action.step, value=value, answered_at=now))
    if next_step == DONE_STEP:
        await _complete(deps, store, checkin, now)
        edit = checkin_view.done_message(deps, child.display_name, locale)
    else:
        edit = checkin_view.step_message(deps, checkin, next_step, child)
    return Outcome(toast=deps.texts.label("noted", locale), edit=edit)


def current_screen(deps: Deps, checkin: Checkin, child: Person) -> Message:
    """The message a check-in should show now: its current step, the thank-you, or closed."""
    if checkin.status == CheckinStatus.OPEN.value and checkin.step != DONE_STEP:
        return checkin_view.step_message(deps, checkin, checkin.step, child)
    if checkin.status == CheckinStatus.COMPLETED.value:
        return checkin_view.done_message(deps, child.display_name, child.locale)
    return checkin_view.closed_message(deps, child.locale)


async def _complete(deps: Deps, store: Store, checkin: Checkin, now: datetime) -> None:
    await store.flush()
    given = await store.checkins.answers(checkin.id)
    values = {key: a.value for key, a in given.items() if a.value is not None}
    checkin.score = checkin_view.questions(deps, checkin.kind).score(values)
    checkin.status = CheckinStatus.COMPLETED.value
    checkin.step = DONE_STEP
    checkin.completed_at = now
    checkin.remind_at = None
    log.info("checkin %s completed", checkin.id)
    await monitoring.observe(deps, store, checkin)


async def record_words(
    deps: Deps,
    store: Store,
    telegram_id: int,
    text: str | None = None,
    file_id: str | None = None,
    reply_to: int | None = None,
    media_kind: str | None = None,
) -> tuple[Checkin, Person] | None:
    """Store what the child wrote or said on the optional last step, if one is waiting for it.

    A voice note (or audio file, `media_kind`) is announced to the child's volunteer, quietly.

    When two children on one phone are both at that step, the words count only as a reply to
    one child's own check-in message: a sibling's words must never land on the wrong child.
    Raises UserError("words_whose") when that is unclear. A reply to another open check-in's
    message (a sibling's, still at its questions) is not words for the one that waits.
    """
    now = deps.clock.now()
    words_step = deps.questionnaire.words_step
    if words_step is None:
        return None
    waiting = await store.checkins.awaiting_words(telegram_id, words_step, now)
    elsewhere = reply_to is not None and all(c.message_id != reply_to for c in waiting)
    if elsewhere and await store.checkins.open_on_message(telegram_id, reply_to):
        return None
    if len(waiting) > 1:
        waiting = [c for c in waiting if reply_to is not None and c.message_id == reply_to]
        if len(waiting) != 1:
            raise UserError("words_whose")
    if not waiting:
        return None
    checkin = waiting[0]
    if not await store.checkins.advance(checkin.id, words_step, DONE_STEP):
        return None
    words = Answer(
        checkin_id=checkin.id,
        question=words_step,
        text=text[:WORDS_LIMIT] if text else None,
        file_id=file_id,
        media_kind=(media_kind or "voice") if file_id else None,
        answered_at=now,
    )
    store.add(words)
    await _complete(deps, store, checkin, now)
    child = await store.get(Person, checkin.child_id)
    assert child is not None
    if file_id:
        await voice_notes.tell_staff(deps, store, child, words)
    return checkin, child


async def words_alerted(deps: Deps, store: Store, checkin: Checkin) -> None:
    """The crisis screen sent this check-in's words as an urgent alert (marked where shown)."""
    if deps.questionnaire.words_step is not None:
        await store.checkins.mark_crisis_alerted(checkin.id, deps.questionnaire.words_step)
