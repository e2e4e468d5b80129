"""The core's side of sending: hand out due outbox messages and record how each send went.

The channel decides how to send; the core decides what a result means (a check-in now lives in
that message; a blocked account is unreachable; a rate limit waits; a hard error is recorded).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.adapters.db import outbox_repo
from bot.adapters.db.outbox_repo import KnownId
from bot.domain.outgoing import Delivery as Delivery
from bot.domain.outgoing import Message, Outgoing, Verb
from bot.domain.resend import may_have_gone_out, stray_candidates
from bot.services.checkins import reachability
from bot.services.deps import Deps
from bot.services.family import relay_delivery

if TYPE_CHECKING:
    from bot.adapters.db.store import Store

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20  # network failures only; with back-off capped at 10 min, about 2.5 hours
MESSAGE_KINDS_THAT_MOVE_A_CHECKIN = ("checkin", "reminder")


async def claim(
    deps: Deps, limit: int, known: KnownId | None = None, above: int | None = None
) -> list[Delivery]:
    """Lease due messages; `known` tells the highest message id the channel saw in a chat,
    `above` (if given) the priority they must outrank."""
    async with deps.stores.begin() as store:
        return await store.outbox.claim_due(deps.clock.now(), limit, known, above)


async def keep_leases(deps: Deps, outbox_ids: list[int]) -> None:
    """Renew the lease of messages still being sent, so nobody else claims them."""
    until = deps.clock.now() + outbox_repo.LEASE
    async with deps.stores.begin() as store:
        await store.outbox.extend_leases(outbox_ids, until)


async def record_message_id(deps: Deps, item: Delivery, message_id: int) -> None:
    """Telegram answered: write the id down before anything else, in a transaction of its own.

    A crash after this re-claims the message and records it without sending it again.
    """
    async with deps.stores.begin() as store:
        await store.outbox.record_message_id(item.outbox_id, message_id)


async def delivered(deps: Deps, item: Delivery, message_id: int | None) -> None:
    """Record a send and what follows from it; a check-in sent again retires its older copy.

    The older recorded message (a reminder's original) is deleted; a copy an earlier attempt
    may have sent unrecorded loses its buttons. Either way the chat holds one live check-in.
    """
    now = deps.clock.now()
    sent = item.outgoing
    async with deps.stores.begin() as store:
        await store.outbox.mark_sent(item.outbox_id, message_id, now)
        if sent.relay_id is not None:
            await relay_delivery.on_delivered(deps, store, sent.relay_id, message_id)
        if message_id is None:
            return
        if sent.fades_later:
            await _queue_fade(deps, store, item, message_id)
        if sent.checkin_id is None or sent.kind not in MESSAGE_KINDS_THAT_MOVE_A_CHECKIN:
            return
        previous = await store.checkins.move_to_message(sent.checkin_id, message_id)
        if item.message_id is None and may_have_gone_out(item.attempts, item.floor_message_id):
            await _disarm_strays(deps, store, item, message_id)
        if previous is not None and previous != message_id:
            key = f"retire:{sent.chat_id}:{previous}"
            retire = _follow_up(sent, "retire_copy", Verb.DELETE, previous, key, now)
            await store.outbox.enqueue(retire, now)


def _follow_up(
    sent: Outgoing,
    kind: str,
    verb: Verb,
    message_id: int,
    key: str,
    when: datetime,
    message: Message | None = None,
) -> Outgoing:
    """Something more to do in the same chat about a message that was just sent."""
    return Outgoing(
        person_id=sent.person_id,
        chat_id=sent.chat_id,
        kind=kind,
        send_after=when,
        message=message,
        verb=verb,
        target_message_id=message_id,
        dedupe_key=key,
    )


async def _queue_fade(deps: Deps, store: Store, item: Delivery, message_id: int) -> None:
    """Edit the message to its neutral form after a while: on a shared phone nothing of a
    crisis should wait in the chat for the adult who owns the phone."""
    now = deps.clock.now()
    sent = item.outgoing
    assert sent.message is not None and sent.message.fades_to is not None
    later = now + timedelta(minutes=deps.settings.crisis_reply_fade_minutes)
    fade = Message(sent.message.fades_to)
    key = f"fade:{item.outbox_id}"
    await store.outbox.enqueue(
        _follow_up(sent, "fade", Verb.EDIT, message_id, key, later, fade), now
    )


async def _disarm_strays(deps: Deps, store: Store, item: Delivery, message_id: int) -> None:
    """Queue removing the buttons of copies an earlier, unrecorded attempt may have sent.

    Only the keyboard goes: an id that is the child's own message is refused by Telegram, and
    one that is some other message of the bot loses nothing but its buttons. Never deleted.
    """
    floor = item.floor_message_id
    assert floor is not None
    recorded = await store.outbox.recorded_between(item.chat_id, floor, message_id)
    now = deps.clock.now()
    for stray in stray_candidates(floor, message_id, recorded):
        key = f"strip:{item.chat_id}:{stray}"
        strip = _follow_up(item.outgoing, "retire_copy", Verb.STRIP_BUTTONS, stray, key, now)
        await store.outbox.enqueue(strip, now)


async def retry_later(
    deps: Deps, item: Delivery, delay_seconds: float, error: str, counts: bool = True
) -> None:
    """A passing failure: try again later.

    A rate limit (`counts=False`) only delays a message, however often it happens; network
    failures give up after MAX_ATTEMPTS so a message that can never go out stops being tried.
    """
    async with deps.stores.begin() as store:
        if counts and item.attempts >= MAX_ATTEMPTS:
            log.error(
                "outbox %s given up after %s attempts: %s", item.outbox_id, item.attempts, error
            )
            await store.outbox.mark_failed(item.outbox_id, error)
            if item.outgoing.relay_id is not None:
                await relay_delivery.on_failed(deps, store, item.outgoing.relay_id, blocked=False)
            return
        when = deps.clock.now() + timedelta(seconds=delay_seconds)
        await store.outbox.mark_retry(item.outbox_id, when, error, refund=not counts)


async def undeliverable(deps: Deps, item: Delivery, error: str, blocked: bool) -> None:
    """A final failure: the person blocked the bot, or Telegram rejected the message itself."""
    async with deps.stores.begin() as store:
        await store.outbox.mark_failed(item.outbox_id, error)
        if item.outgoing.relay_id is not None:
            await relay_delivery.on_failed(deps, store, item.outgoing.relay_id, blocked)
        if blocked:
            await reachability.became_unreachable(deps, store, item.chat_id, deps.clock.now())
    log.warning("outbox %s (%s) not delivered: %s", item.outbox_id, item.kind, error)


def backoff_seconds(attempts: int) -> float:
    return float(min(600, 5 * 2 ** max(0, attempts - 1)))
