"""The core's side of sending: hand out due outbox messages and record how each send went.

The channel decides how to send; the core decides what a result means (a check-in now lives in
that message; a blocked account is unreachable; a rate limit waits; a hard error is recorded).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.adapters.db import checkin_repo, outbox_repo
from bot.adapters.db.outbox_repo import KnownId
from bot.domain.resend import may_have_gone_out, stray_candidates
from bot.services import reachability, relay
from bot.services.deps import Deps

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20  # network failures only; with back-off capped at 10 min, about 2.5 hours
MESSAGE_KINDS_THAT_MOVE_A_CHECKIN = ("checkin", "reminder")


@dataclass(frozen=True)
class Delivery:
    outbox_id: int
    person_id: int
    chat_id: int
    kind: str
    body: dict[str, Any]
    checkin_id: int | None
    attempts: int
    # Set when an earlier attempt was sent and its id recorded, but the process died before
    # the rest of the bookkeeping: the message must not go out again, only be recorded.
    message_id: int | None = None
    floor_message_id: int | None = None
    priority: int = 0  # higher goes first, at the rate limiter too (urgent alerts)


async def claim(deps: Deps, limit: int, known: KnownId | None = None) -> list[Delivery]:
    """Lease due messages; `known` tells the highest message id the channel saw in a chat."""
    async with deps.sessions.begin() as session:
        rows = await outbox_repo.claim_due(session, deps.clock.now(), limit, known)
        return [
            Delivery(
                r.id,
                r.person_id,
                r.chat_id,
                r.kind,
                r.body,
                r.checkin_id,
                r.attempts,
                r.message_id,
                r.floor_message_id,
                r.priority,
            )
            for r in rows
        ]


async def keep_leases(deps: Deps, outbox_ids: list[int]) -> None:
    """Renew the lease of messages still being sent, so nobody else claims them."""
    until = deps.clock.now() + outbox_repo.LEASE
    async with deps.sessions.begin() as session:
        await outbox_repo.extend_leases(session, outbox_ids, until)


async def record_message_id(deps: Deps, item: Delivery, message_id: int) -> None:
    """Telegram answered: write the id down before anything else, in a transaction of its own.

    A crash after this re-claims the message and records it without sending it again.
    """
    async with deps.sessions.begin() as session:
        await outbox_repo.record_message_id(session, item.outbox_id, message_id)


async def delivered(deps: Deps, item: Delivery, message_id: int | None) -> None:
    """Record a send and what follows from it; a check-in sent again retires its older copy.

    The older recorded message (a reminder's original) is deleted; a copy an earlier attempt
    may have sent unrecorded loses its buttons. Either way the chat holds one live check-in.
    """
    now = deps.clock.now()
    async with deps.sessions.begin() as session:
        await outbox_repo.mark_sent(session, item.outbox_id, message_id, now)
        if item.kind == "relay":
            await relay.on_delivered(deps, session, item.body["relay_id"], message_id)
        if message_id is None:
            return
        if item.body.get("fades_to") and not item.body.get("edit_message_id"):
            await _queue_fade(deps, session, item, message_id)
        if item.checkin_id is None or item.kind not in MESSAGE_KINDS_THAT_MOVE_A_CHECKIN:
            return
        previous = await checkin_repo.move_to_message(session, item.checkin_id, message_id)
        if item.message_id is None and may_have_gone_out(item.attempts, item.floor_message_id):
            await _disarm_strays(deps, session, item, message_id)
        if previous is not None and previous != message_id:
            await outbox_repo.enqueue(
                session,
                person_id=item.person_id,
                chat_id=item.chat_id,
                kind="retire_copy",
                body={"delete_message_id": previous},
                send_after=now,
                now=now,
                dedupe_key=f"retire:{item.chat_id}:{previous}",
            )


async def _queue_fade(deps: Deps, session: AsyncSession, item: Delivery, message_id: int) -> None:
    """Edit the message to its neutral form after a while: on a shared phone nothing of a
    crisis should wait in the chat for the adult who owns the phone."""
    now = deps.clock.now()
    await outbox_repo.enqueue(
        session,
        person_id=item.person_id,
        chat_id=item.chat_id,
        kind="fade",
        body={"text": item.body["fades_to"], "buttons": [], "edit_message_id": message_id},
        send_after=now + timedelta(minutes=deps.settings.crisis_reply_fade_minutes),
        now=now,
        dedupe_key=f"fade:{item.outbox_id}",
    )


async def _disarm_strays(
    deps: Deps, session: AsyncSession, item: Delivery, message_id: int
) -> None:
    """Queue removing the buttons of copies an earlier, unrecorded attempt may have sent.

    Only the keyboard goes: an id that is the child's own message is refused by Telegram, and
    one that is some other message of the bot loses nothing but its buttons. Never deleted.
    """
    floor = item.floor_message_id
    assert floor is not None
    recorded = await outbox_repo.recorded_between(session, item.chat_id, floor, message_id)
    now = deps.clock.now()
    for stray in stray_candidates(floor, message_id, recorded):
        await outbox_repo.enqueue(
            session,
            person_id=item.person_id,
            chat_id=item.chat_id,
            kind="retire_copy",
            body={"strip_markup_message_id": stray},
            send_after=now,
            now=now,
            dedupe_key=f"strip:{item.chat_id}:{stray}",
        )


async def retry_later(
    deps: Deps, item: Delivery, delay_seconds: float, error: str, counts: bool = True
) -> None:
    """A passing failure: try again later.

    A rate limit (`counts=False`) only delays a message, however often it happens; network
    failures give up after MAX_ATTEMPTS so a message that can never go out stops being tried.
    """
    async with deps.sessions.begin() as session:
        if counts and item.attempts >= MAX_ATTEMPTS:
            log.error(
                "outbox %s given up after %s attempts: %s", item.outbox_id, item.attempts, error
            )
            await outbox_repo.mark_failed(session, item.outbox_id, error)
            if item.kind == "relay":
                await relay.on_failed(deps, session, item.body["relay_id"], blocked=False)
            return
        when = deps.clock.now() + timedelta(seconds=delay_seconds)
        await outbox_repo.mark_retry(session, item.outbox_id, when, error, refund=not counts)


async def undeliverable(deps: Deps, item: Delivery, error: str, blocked: bool) -> None:
    """A final failure: the person blocked the bot, or Telegram rejected the message itself."""
    async with deps.sessions.begin() as session:
        await outbox_repo.mark_failed(session, item.outbox_id, error)
        if item.kind == "relay":
            await relay.on_failed(deps, session, item.body["relay_id"], blocked)
        if blocked:
            await reachability.became_unreachable(deps, session, item.chat_id, deps.clock.now())
    log.warning("outbox %s (%s) not delivered: %s", item.outbox_id, item.kind, error)


def backoff_seconds(attempts: int) -> float:
    return float(min(600, 5 * 2 ** max(0, attempts - 1)))
