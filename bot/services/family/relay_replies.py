"""The child answers a parent: in words or a voice note after "Reply", or with one tap.

A child's words go to a parent only when they answer the parent's message (Telegram's Reply,
or the next words after the "Reply" button), never words a check-in is waiting for: those are
for the volunteer. On a shared phone the child's words leave the chat once carried.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.adapters.db.models import Person, Relay
from bot.adapters.db.store import Store
from bot.domain.actions import QuickReply
from bot.domain.awaiting import awaited, awaiting
from bot.domain.relay import REPLY_WAIT, RelayKind, RelayStatus, clip
from bot.domain.relay_release import from_child, words_for_parent
from bot.services.access import OWN, act_for
from bot.services.deps import Deps
from bot.services.family.relay_release import held, hours_of, label, release
from bot.services.outcome import Message, Outcome, Sender

log = logging.getLogger(__name__)


async def reply_target(
    deps: Deps, store: Store, children: Sequence[Person], reply_to: int | None
) -> tuple[Person, Relay] | None:
    """The parent's message a child is answering: by Telegram's Reply, or after "Reply".

    Never words meant for a check-in: a Telegram reply to anything but a parent's message, or
    text while any check-in on the phone (a sibling's too) waits for its words, stays with the
    check-ins (those words are for the volunteer, never a parent).
    """
    now = deps.clock.now()
    for child in children:
        if reply_to is not None:
            relay = await store.relays.by_message(child.id, reply_to)
            if relay is not None:
                return child, relay
            continue
        relay_id = awaited(child.awaiting, "reply", now, REPLY_WAIT)
        if relay_id is None:
            continue
        # Any check-in on the phone waiting for words may be what this text is (a sibling's too).
        waits = await _checkin_waits_for_words(deps, store, children)
        relay_id = words_for_parent(relay_id, waits)
        if relay_id is None:
            return None
        child.awaiting = None
        relay = await store.get(Relay, relay_id)
        if relay is not None and relay.recipient_id == child.id:
            return child, relay
    return None


async def _checkin_waits_for_words(deps: Deps, store: Store, children: Sequence[Person]) -> bool:
    for child in children:
        checkin = await store.checkins.open_checkin(child.id)
        if checkin is not None and checkin.step == deps.questionnaire.words_step:
            return True
    return False


async def child_replies(
    deps: Deps,
    store: Store,
    child: Person,
    original: Relay,
    kind: str,
    text: str | None,
    file_id: str | None,
) -> Outcome:
    """The child's words or voice note back to the parent who wrote."""
    if kind not in (RelayKind.TEXT, RelayKind.VOICE):
        return Outcome.reply(deps.texts.render("relay_unsupported", child.locale, child=True))
    words = clip(text)
    parent, is_held = await _queue_to_parent(deps, store, child, original, kind, words, file_id)
    name = parent.display_name if parent else ""
    template = "relay_not_now" if is_held else "relay_reply_sent"
    return Outcome(
        replies=[Message(deps.texts.render(template, child.locale, parent=name))],
        delete_incoming=True,  # a shared phone: the child's words leave the grandparent's chat
        outbox_changed=True,
    )


async def quick_reply(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: QuickReply
) -> Outcome:
    """A tap under a parent's message: a quick answer, or "Reply" to write one."""
    original = await store.get(Relay, action.relay_id)
    access = await act_for(store, people, original.recipient_id, OWN) if original else None
    if original is None or access is None:
        return Outcome.refusal()
    child = access.person
    now = deps.clock.now()
    if action.code == "write":
        child.awaiting = awaiting("reply", original.id, now)
        parent = await store.get(Person, original.sender_id)
        name = parent.display_name if parent else ""
        return Outcome.reply(deps.texts.render("relay_write_prompt", child.locale, parent=name))
    if await store.relays.quick_reply_sent(original.id, action.code):
        return Outcome(toast=deps.texts.label("already_noted", child.locale))
    _, is_held = await _queue_to_parent(
        deps, store, child, original, RelayKind.QUICK, action.code, None
    )
    toast = label(deps, "not_now" if is_held else "quick_sent", child.locale)
    return Outcome(toast=toast, outbox_changed=not is_held)


async def _queue_to_parent(
    deps: Deps,
    store: Store,
    child: Person,
    original: Relay,
    kind: str,
    text: str | None,
    file_id: str | None,
) -> tuple[Person | None, bool]:
    """Queue the child's answer for the parent; returns the parent and whether it is held
    (a coordinator's pause, or consent withdrawn: kept for the social worker, not sent)."""
    now = deps.clock.now()
    parent = await store.get(Person, original.sender_id)
    if parent is None:
        return None, False
    arrival = from_child(await held(store, parent.id, child.id), hours_of(deps, parent), now)
    relay = Relay(
        sender_id=child.id,
        recipient_id=parent.id,
        kind=kind,
        text=text,
        file_id=file_id,
        reply_to_id=original.id,
        status=arrival.status.value,
        deliver_after=arrival.deliver_after,
        created_at=now,
    )
    store.add(relay)
    await store.flush()
    log.info("relay %s: child %s -> parent %s (%s)", relay.id, child.id, parent.id, kind)
    if arrival.release_now:
        await release(deps, store, relay, parent, now)
    return parent, relay.status == RelayStatus.HELD.value
