"""Messages between parents and children, carried by the bot and delivered at a good hour.

Adults never see a child's Telegram account: everything goes through here and is kept as a
`Relay` row (who, when, what kind). Logs name ids and kinds only, never the words. A message is
queued in the database until the recipient may get it (for a child: never in school hours or
the night; for a parent: outside their night and working hours), so a restart loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.adapters.db.models import ChildProfile, Person, Relay
from bot.adapters.db.store import Store
from bot.domain.actions import QuickReply, RelayChoice, encode
from bot.domain.awaiting import awaited, awaiting
from bot.domain.outgoing import Outgoing
from bot.domain.people import LinkKind, Role
from bot.domain.relay import (
    MAX_TEXT,
    PARENT_KINDS,
    QUICK_REPLIES,
    REPLY_WAIT,
    RETENTION,
    RelayKind,
    RelayStatus,
)
from bot.services import nudges
from bot.services.access import FAR_PARENT, OWN, act_for
from bot.services.checkins.scheduling import adult_good_hour, child_allowed
from bot.services.deps import Deps
from bot.services.formatting import local_time
from bot.services.outcome import Button, Media, Message, Outcome, Sender
from bot.services.people import program_settings

log = logging.getLogger(__name__)
BATCH = 200
ALL_CHILDREN = 0  # the "all of them" choice
# A child who has not joined yet, or someone who blocked the bot: look again this much later.
UNREACHABLE_RETRY = timedelta(hours=12)
RELAY_PRIORITY = 0
FORGOTTEN, FORGET_EVERY = "relay_content_forgotten", timedelta(hours=1)


def _label(deps: Deps, key: str, locale: str | None) -> str:
    return deps.texts.label(key, locale, group="relay")


# ---- a parent writes ------------------------------------------------------------------------


async def explain_unsupported(deps: Deps, store: Store, parent: Person) -> Outcome | None:
    """What a parent can send their child instead of a sticker, file or location."""
    if not await store.people.linked_children(parent.id, LinkKind.PARENT):
        return None
    return Outcome.reply(deps.texts.render("relay_unsupported", parent.locale))


async def parent_sends(
    deps: Deps,
    store: Store,
    parent: Person,
    kind: str,
    text: str | None,
    file_id: str | None,
    reply_to: int | None = None,
) -> Outcome | None:
    """A parent's message: for one child at once, or ask which when there are several.

    None when this adult has no child to write to (a carer at home, say): not a relay at all.
    """
    children = list(await store.people.linked_children(parent.id, LinkKind.PARENT))
    if not children:
        return None
    if kind not in PARENT_KINDS:
        return Outcome.reply(deps.texts.render("relay_unsupported", parent.locale))
    now = deps.clock.now()
    draft = Relay(
        sender_id=parent.id,
        recipient_id=None,
        kind=kind,
        text=_clip(text),
        file_id=file_id,
        status=RelayStatus.CHOOSING.value,
        created_at=now,
    )
    store.add(draft)
    await store.flush()
    answered = await _answered_child(store, parent, children, reply_to)
    if answered is not None:
        children = [answered]
    if len(children) == 1:
        return await _route(deps, store, parent, draft, children)
    buttons = [
        (Button(child.display_name, encode(RelayChoice(draft.id, child.id))),)
        for child in children
    ]
    buttons.append((Button(_label(deps, "all", parent.locale), encode(RelayChoice(draft.id, 0))),))
    return Outcome.reply(deps.texts.render("relay_choose", parent.locale), tuple(buttons))


async def _answered_child(
    store: Store, parent: Person, children: Sequence[Person], reply_to: int | None
) -> Person | None:
    """The child whose message the parent answered with Telegram's Reply, if any."""
    if reply_to is None:
        return None
    answered = await store.relays.by_message(parent.id, reply_to)
    return next((c for c in children if answered and c.id == answered.sender_id), None)


async def choose_child(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: RelayChoice
) -> Outcome:
    """The parent tapped which child (or all) a message is for: their own draft, and a child
    they are a parent of."""
    draft = await store.get(Relay, action.relay_id)
    parent = next((p for p in people if draft and p.id == draft.sender_id), None)
    if draft is None or parent is None or draft.status != RelayStatus.CHOOSING.value:
        return Outcome.refusal()
    if action.child_id == ALL_CHILDREN:
        children = list(await store.people.linked_children(parent.id, LinkKind.PARENT))
    else:
        access = await act_for(store, [parent], action.child_id, FAR_PARENT)
        children = [await store.get(Person, action.child_id)] if access else []
    if not children:
        return Outcome.refusal()
    outcome = await _route(deps, store, parent, draft, children)
    return Outcome(edit=outcome.replies[0], outbox_changed=outcome.outbox_changed)


async def _route(
    deps: Deps,
    store: Store,
    parent: Person,
    draft: Relay,
    children: Sequence[Person],
) -> Outcome:
    """Queue the message for each child and tell the parent, plainly, what happens to it."""
    now = deps.clock.now()
    lines = []
    for index, child in enumerate(children):
        relay = draft if index == 0 and len(children) == 1 else _copy(draft, child.id)
        relay.recipient_id = child.id
        if relay is not draft:
            store.add(relay)
            await store.flush()
        await nudges.note_parent_contact(store, parent.id, child.id, now)
        lines.append(await _queue_for_child(deps, store, parent, child, relay, now))
        log.info("relay %s: parent %s -> child %s (%s)", relay.id, parent.id, child.id, draft.kind)
    if len(children) > 1:
        draft.status = RelayStatus.SPLIT.value
    await store.flush()
    text = deps.texts.render("relay_queued", parent.locale, lines=lines)
    return Outcome(replies=[Message(text)], outbox_changed=True)


def _copy(draft: Relay, child_id: int) -> Relay:
    return Relay(
        sender_id=draft.sender_id,
        recipient_id=child_id,
        kind=draft.kind,
        text=draft.text,
        file_id=draft.file_id,
        created_at=draft.created_at,
        status=RelayStatus.QUEUED.value,
    )


async def _queue_for_child(
    deps: Deps, store: Store, parent: Person, child: Person, relay: Relay, now: datetime
) -> dict[str, str | None]:
    """Set when the child gets it; returns what to tell the parent about this child."""
    line: dict[str, str | None] = {"child": child.display_name, "when": None, "state": "soon"}
    if await _held(store, parent.id, child.id):
        relay.status = RelayStatus.HELD.value
        line["state"] = "paused"
        return line
    relay.status = RelayStatus.QUEUED.value
    relay.deliver_after = child_allowed(deps, child, now)
    profile = await store.get(ChildProfile, child.id)
    muted = profile is not None and profile.relay_muted_until and profile.relay_muted_until > now
    if child.telegram_id is None:
        line["state"] = "not_joined"
    elif muted:
        line["state"] = "later"  # the child's mute is theirs: the parent is not told why
    elif relay.deliver_after > now:
        line["state"] = "at"
        line["when"] = local_time(deps, relay.deliver_after, parent.timezone, parent.locale)
    else:
        await _release(deps, store, relay, child, now)
    return line


async def _held(store: Store, parent_id: int, child_id: int) -> bool:
    """Paused by a coordinator (safeguarding) or the guardian's consent withdrawn."""
    plan = await store.people.contact_plan(parent_id, child_id)
    if plan is not None and plan.relay_paused:
        return True
    return not (await store.people.consent_state(child_id)).guardian


def _clip(text: str | None) -> str | None:
    return text[:MAX_TEXT] if text else text


# ---- delivery, from the tick ----------------------------------------------------------------


async def collect_relays(deps: Deps) -> int:
    """Hand every message whose moment has come to the outbox (checked again right now)."""
    queued = 0
    now = deps.clock.now()
    while True:
        async with deps.stores.begin() as store:
            rows = await store.relays.due(now, BATCH)
            for relay in rows:
                queued += await _deliver_when_possible(deps, store, relay, now)
        if len(rows) < BATCH:
            return queued


async def forget_old_content(deps: Deps) -> int:
    """Once an hour, clear what settled messages said after RETENTION (nothing is queued)."""
    now = deps.clock.now()
    async with deps.stores.begin() as store:
        if not await program_settings.claim_chore(store, FORGOTTEN, FORGET_EVERY, now):
            return 0
        cleared = await store.relays.forget_content(now - RETENTION)
    if cleared:
        log.info("relay: content of %s settled messages forgotten", cleared)
    return 0


async def _deliver_when_possible(deps: Deps, store: Store, relay: Relay, now: datetime) -> int:
    """Checked again at delivery, in both directions: a pause or withdrawn consent, a mute, and
    the recipient's own hours (a tick that ran late must not deliver into the night)."""
    recipient = await store.get(Person, relay.recipient_id)
    if recipient is None:
        relay.status = RelayStatus.FAILED.value
        return 0
    to_child = recipient.role == Role.CHILD
    parent_id, child_id = (
        (relay.sender_id, recipient.id) if to_child else (recipient.id, relay.sender_id)
    )
    if await _held(store, parent_id, child_id):
        relay.status = RelayStatus.HELD.value
        return 0
    if recipient.telegram_id is None or recipient.unreachable_since is not None:
        relay.deliver_after = now + UNREACHABLE_RETRY  # not joined yet, or blocked: look later
        return 0
    if to_child:
        profile = await store.get(ChildProfile, recipient.id)
        muted_until = profile.relay_muted_until if profile is not None else None
        if muted_until is not None and muted_until > now:
            relay.deliver_after = child_allowed(deps, recipient, muted_until)
            return 0
        allowed = child_allowed(deps, recipient, now)
    else:
        allowed = adult_good_hour(deps, recipient, now)
    if allowed > now:
        relay.deliver_after = allowed
        return 0
    return await _release(deps, store, relay, recipient, now)


async def _release(
    deps: Deps, store: Store, relay: Relay, recipient: Person, now: datetime
) -> int:
    """Put the message in the outbox now; its sender is asked for in the same transaction."""
    sender = await store.get(Person, relay.sender_id)
    if sender is None or recipient.telegram_id is None:
        relay.status = RelayStatus.FAILED.value
        return 0
    relay.status = RelayStatus.SENDING.value
    # One key per attempt: a message that waited for a blocked person to come back is sent anew.
    attempt = int(relay.deliver_after.timestamp()) if relay.deliver_after else 0
    item = Outgoing(
        person_id=recipient.id,
        chat_id=recipient.telegram_id,
        kind="relay",
        send_after=now,
        message=_message_for(deps, relay, sender, recipient),
        priority=RELAY_PRIORITY,
        dedupe_key=f"relay:{relay.id}:{attempt}",
        relay_id=relay.id,
    )
    return int(await store.outbox.enqueue(item, now))


def _message_for(deps: Deps, relay: Relay, sender: Person, recipient: Person) -> Message:
    media = Media(relay.kind, relay.file_id) if relay.file_id else None
    if recipient.role == Role.CHILD:
        text = deps.texts.render(
            "relay_to_child",
            recipient.locale,
            sender=sender.display_name,
            kind=relay.kind,
            words=relay.text or "",
        )
        return Message(text, _quick_buttons(deps, relay, recipient.locale), media)
    text = deps.texts.render(
        "relay_to_parent",
        recipient.locale,
        child=sender.display_name,
        kind=relay.kind,
        words=relay.text or "",
    )
    return Message(text, media=media)


def _quick_buttons(deps: Deps, relay: Relay, locale: str) -> tuple[tuple[Button, ...], ...]:
    quick = tuple(
        Button(_label(deps, f"quick_{code}", locale), encode(QuickReply(relay.id, code)))
        for code in QUICK_REPLIES
    )
    write = Button(_label(deps, "write_back", locale), encode(QuickReply(relay.id, "write")))
    return (quick, (write,))


async def on_delivered(deps: Deps, store: Store, relay_id: int, message_id: int | None) -> None:
    """The message reached the recipient's chat: note it, and tell a parent it arrived."""
    relay = await store.get(Relay, relay_id)
    if relay is None or relay.status == RelayStatus.DELIVERED.value:
        return
    now = deps.clock.now()
    relay.status = RelayStatus.DELIVERED.value
    relay.delivered_at = now
    relay.message_id = message_id
    sender = await store.get(Person, relay.sender_id)
    child = await store.get(Person, relay.recipient_id)
    if sender is None or child is None or sender.role != Role.PARENT:
        return
    if sender.telegram_id is None or sender.unreachable_since is not None:
        return
    text = deps.texts.render(
        "relay_delivered",
        sender.locale,
        child=child.display_name,
        kind=relay.kind,
        when=local_time(deps, now, sender.timezone, sender.locale),
    )
    await _note_to_parent(deps, store, sender, text, f"relay_note:{relay.id}")


async def on_failed(deps: Deps, store: Store, relay_id: int, blocked: bool) -> None:
    """Telegram refused it. A blocked recipient may come back (/start): the message waits.

    Any other refusal is for good: a parent who was told "on its way" is told plainly that it
    did not arrive and what to do, instead of waiting for a note that never comes.
    """
    relay = await store.get(Relay, relay_id)
    if relay is None or relay.status in (RelayStatus.DELIVERED.value, RelayStatus.FAILED.value):
        return
    if blocked:
        relay.status = RelayStatus.QUEUED.value
        relay.deliver_after = deps.clock.now() + UNREACHABLE_RETRY
        return
    relay.status = RelayStatus.FAILED.value
    log.info("relay %s failed for good (%s)", relay.id, relay.kind)
    await _tell_parent_it_failed(deps, store, relay)


async def _tell_parent_it_failed(deps: Deps, store: Store, relay: Relay) -> None:
    sender = await store.get(Person, relay.sender_id)
    child = await store.get(Person, relay.recipient_id)
    if sender is None or child is None or sender.role != Role.PARENT:
        return
    if sender.telegram_id is None or sender.unreachable_since is not None:
        return
    text = deps.texts.render(
        "relay_failed", sender.locale, child=child.display_name, kind=relay.kind
    )
    await _note_to_parent(deps, store, sender, text, f"relay_failed:{relay.id}")


async def _note_to_parent(deps: Deps, store: Store, parent: Person, text: str, key: str) -> None:
    """Whether the parent's message arrived, told at their good hour."""
    now = deps.clock.now()
    note = Outgoing(
        person_id=parent.id,
        chat_id=parent.telegram_id or 0,
        kind="relay_note",
        send_after=adult_good_hour(deps, parent, now),
        message=Message(text),
        dedupe_key=key,
    )
    await store.outbox.enqueue(note, now)


# ---- the child answers ----------------------------------------------------------------------


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
        if await _checkin_waits_for_words(deps, store, children):
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
    parent, held = await _queue_to_parent(deps, store, child, original, kind, _clip(text), file_id)
    name = parent.display_name if parent else ""
    template = "relay_not_now" if held else "relay_reply_sent"
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
    _, held = await _queue_to_parent(
        deps, store, child, original, RelayKind.QUICK, action.code, None
    )
    toast = _label(deps, "not_now" if held else "quick_sent", child.locale)
    return Outcome(toast=toast, outbox_changed=not held)


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
    held = await _held(store, parent.id, child.id)
    relay = Relay(
        sender_id=child.id,
        recipient_id=parent.id,
        kind=kind,
        text=text,
        file_id=file_id,
        reply_to_id=original.id,
        status=(RelayStatus.HELD if held else RelayStatus.QUEUED).value,
        deliver_after=adult_good_hour(deps, parent, now),
        created_at=now,
    )
    store.add(relay)
    await store.flush()
    log.info("relay %s: child %s -> parent %s (%s)", relay.id, child.id, parent.id, kind)
    if not held and relay.deliver_after <= now:
        await _release(deps, store, relay, parent, now)
    return parent, held
