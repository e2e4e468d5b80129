"""Whether a relayed message arrived, and telling the parent who wrote it.

The sender reports each relayed message's fate: delivered (a parent hears it arrived, at their
good hour), refused because the recipient blocked the bot (it waits for them to come back), or
refused for good (a parent who was told "on its way" is told plainly that it did not arrive).
"""

from __future__ import annotations

import logging

from bot.adapters.db.models import Person, Relay
from bot.adapters.db.store import Store
from bot.domain.outgoing import Outgoing
from bot.domain.people import Role
from bot.domain.relay import RelayStatus
from bot.domain.relay_release import Step, after_refusal
from bot.services.checkins.scheduling import adult_good_hour
from bot.services.deps import Deps
from bot.services.formatting import local_time
from bot.services.outcome import Message

log = logging.getLogger(__name__)


async def on_delivered(deps: Deps, store: Store, relay_id: int, message_id: int | None) -> None:
    """The message reached the recipient's chat: note it, and tell a parent it arrived."""
    relay = await store.get(Relay, relay_id)
    if relay is None or relay.status == RelayStatus.DELIVERED.value:
        return
    now = deps.clock.now()
    relay.status = RelayStatus.DELIVERED.value
    relay.delivered_at = now
    relay.message_id = message_id
    pair = await _reachable_parent_of(store, relay)
    if pair is None:
        return
    sender, child = pair
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
    decision = after_refusal(blocked, deps.clock.now())
    if decision.step == Step.WAIT:
        relay.status = RelayStatus.QUEUED.value
        relay.deliver_after = decision.at
        return
    relay.status = RelayStatus.FAILED.value
    log.info("relay %s failed for good (%s)", relay.id, relay.kind)
    await _tell_parent_it_failed(deps, store, relay)


async def _reachable_parent_of(store: Store, relay: Relay) -> tuple[Person, Person] | None:
    """(the parent who wrote, the child) when a parent wrote and can be told; else None."""
    sender = await store.get(Person, relay.sender_id)
    child = await store.get(Person, relay.recipient_id)
    if sender is None or child is None or sender.role != Role.PARENT:
        return None
    if sender.telegram_id is None or sender.unreachable_since is not None:
        return None
    return sender, child


async def _tell_parent_it_failed(deps: Deps, store: Store, relay: Relay) -> None:
    pair = await _reachable_parent_of(store, relay)
    if pair is None:
        return
    sender, child = pair
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
