"""A child's check-in voice note reaching staff: a quiet notice, and the "listen" button.

The crisis screen reads only text, so a voice note is heard by no one unless staff listen: the
child's volunteer is told at their good hour (a quiet word, not an alert), and the bot sends the
note itself, by the id Telegram gave it, to a volunteer or coordinator who asks, marked as not
screened. The role is checked on every tap; each listen is written to the access log.
"""

from __future__ import annotations

from bot.adapters.db.models import Answer, Person
from bot.adapters.db.store import Store
from bot.domain.actions import ListenVoice
from bot.domain.child_words import kept_since, shorten
from bot.domain.outgoing import Outgoing
from bot.services.access import CASEWORK, act_for
from bot.services.alerts.raising import recipients
from bot.services.checkins.child_words import LISTEN_KIND, listen_button
from bot.services.checkins.scheduling import adult_good_hour
from bot.services.deps import Deps
from bot.services.formatting import local_time
from bot.services.outcome import Media, Message, Outcome, Sender

# The reader is waiting with the button just pressed; a quiet notice waits its turn.
LISTEN_PRIORITY, NOTICE_PRIORITY = 3, 0
NOTICE_KIND = "voice_notice"


async def tell_staff(deps: Deps, store: Store, child: Person, answer: Answer) -> int:
    """Queue the quiet notice for whoever hears about the child (the volunteer; coordinators
    when none can be reached), each at their own good hour; returns how many were queued."""
    now = deps.clock.now()
    queued = 0
    for reader in await recipients(store, child.id):
        text = deps.texts.render("voice_notice", reader.locale, nickname=child.display_name)
        button = listen_button(deps, answer.id, None, reader.locale)
        notice = Outgoing(
            person_id=reader.id,
            chat_id=reader.telegram_id or 0,
            kind=NOTICE_KIND,
            send_after=adult_good_hour(deps, reader, now),
            message=Message(text, ((button,),)),
            priority=NOTICE_PRIORITY,
            dedupe_key=f"voice_notice:{answer.id}:{reader.id}",
        )
        queued += await store.outbox.enqueue(notice, now)
    return queued


async def listen(
    deps: Deps,
    store: Store,
    sender: Sender,
    people: list[Person],
    action: ListenVoice,
) -> Outcome:
    """Send the voice note to the staff member who tapped, if they may hear this child.

    A forged id, another volunteer's child and a note past its retention all get the same
    refusal. The note goes through the outbox, keyed by the tap, so a redelivered tap (or a
    restart) sends it once.
    """
    found = await store.checkins.answer_with_checkin(action.answer_id)
    answer, checkin = found if found else (None, None)
    access = await act_for(store, people, checkin.child_id, CASEWORK) if checkin else None
    child = await store.get(Person, checkin.child_id) if checkin else None
    now = deps.clock.now()
    if answer is None or checkin is None or access is None or child is None:
        return Outcome.refusal()
    actor = access.person
    if answer.file_id is None or answer.answered_at < kept_since(now):
        return Outcome.refusal()
    store.alerts.log_access(actor.id, child.id, "voice", now)
    voice = Outgoing(
        person_id=actor.id,
        chat_id=sender.chat_id,
        kind=LISTEN_KIND,
        send_after=now,
        message=_voice_message(deps, answer, child, actor),
        priority=LISTEN_PRIORITY,
        dedupe_key=f"listen:{sender.chat_id}:{sender.update_id}"
        if sender.update_id is not None
        else None,
    )
    await store.outbox.enqueue(voice, now)
    return Outcome(toast=deps.texts.label("voice_coming", actor.locale))


def _voice_message(deps: Deps, answer: Answer, child: Person, reader: Person) -> Message:
    assert answer.file_id is not None
    text = deps.texts.render(
        "voice_listen",
        reader.locale,
        nickname=child.display_name,
        at=local_time(deps, answer.answered_at, reader.timezone, reader.locale),
        caption=shorten(answer.text) if answer.text else None,
    )
    return Message(text, media=Media(answer.media_kind or "voice", answer.file_id))
