"""The core's side of sending: hand out due outbox messages and record how each send went.

The channel decides how to send; the core decides what a result means (a check-in now lives in
that message; a blocked account is unreachable; a rate limit waits; a hard error is recorded).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.adapters.db import checkin_repo, outbox_repo
from bot.services import reachability, relay
from bot.services.deps import Deps

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


async def claim(deps: Deps, limit: int) -> list[Delivery]:
    async with deps.sessions.begin() as session:
        rows = await outbox_repo.claim_due(session, deps.clock.now(), limit)
        return [
            Delivery(r.id, r.person_id, r.chat_id, r.kind, r.body, r.checkin_id, r.attempts)
            for r in rows
        ]


async def delivered(deps: Deps, item: Delivery, message_id: int | None) -> None:
    """Record a send; a check-in sent again (a reminder) retires its older copy.

    The older message is deleted, so the chat holds one live check-in message, never two.
    """
    now = deps.clock.now()
    async with deps.sessions.begin() as session:
        await outbox_repo.mark_sent(session, item.outbox_id, message_id, now)
        if item.kind == "relay":
            await relay.on_delivered(deps, session, item.body["relay_id"], message_id)
        if message_id is None:
            return
        if item.checkin_id is None or item.kind not in MESSAGE_KINDS_THAT_MOVE_A_CHECKIN:
            return
        previous = await checkin_repo.move_to_message(session, item.checkin_id, message_id)
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
