"""A parent's message arriving: for which child, and what the parent is told happens to it.

Adults never see a child's Telegram account: everything goes through the bot and is kept as a
`Relay` row (who, when, what kind). Logs name ids and kinds only, never the words. A message is
queued in the database until the child may get it (never in school hours or the night; see
`bot.domain.relay_release`), so a restart loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.adapters.db.models import Person, Relay
from bot.adapters.db.store import Store
from bot.domain.actions import RelayChoice, encode
from bot.domain.people import LinkKind
from bot.domain.relay import PARENT_KINDS, RelayStatus, clip
from bot.domain.relay_release import Told, from_parent
from bot.services.access import FAR_PARENT, act_for
from bot.services.deps import Deps
from bot.services.family import nudges
from bot.services.family.relay_release import held, hours_of, label, recipient_of, release
from bot.services.formatting import local_time
from bot.services.outcome import Button, Message, Outcome, Sender

log = logging.getLogger(__name__)
ALL_CHILDREN = 0  # the "all of them" choice


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
        text=clip(text),
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
    buttons.append((Button(label(deps, "all", parent.locale), encode(RelayChoice(draft.id, 0))),))
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
    """Set when the child gets it; returns what to tell the parent about this child.

    A muted child's copy is told as "later": the mute is the child's, the parent is not told why.
    """
    is_held = await held(store, parent.id, child.id)
    arrival = from_parent(await recipient_of(store, child), is_held, hours_of(deps, child), now)
    relay.status = arrival.status.value
    if arrival.deliver_after is not None:
        relay.deliver_after = arrival.deliver_after
    line: dict[str, str | None] = {"child": child.display_name, "when": None}
    line["state"] = arrival.told.value
    if arrival.told == Told.AT and arrival.deliver_after is not None:
        line["when"] = local_time(deps, arrival.deliver_after, parent.timezone, parent.locale)
    if arrival.release_now:
        await release(deps, store, relay, child, now)
    return line
