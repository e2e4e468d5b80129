"""The outbox: messages decided on and not yet confirmed sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db.models import Outbox

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
LEASE = timedelta(minutes=5)
QUEUED = "outbox_queued"


def queued_in(session: AsyncSession) -> bool:
    """Whether this session queued anything (an alert raised by a tap, say)."""
    return bool(session.info.get(QUEUED))


async def enqueue(
    session: AsyncSession,
    *,
    person_id: int,
    chat_id: int,
    kind: str,
    body: dict[str, Any],
    send_after: datetime,
    now: datetime,
    checkin_id: int | None = None,
    dedupe_key: str | None = None,
    priority: int = 0,
) -> bool:
    """Queue a message; False (and nothing queued) if `dedupe_key` was queued before."""
    if dedupe_key is not None:
        seen = await session.scalar(select(Outbox.id).where(Outbox.dedupe_key == dedupe_key))
        if seen is not None:
            return False
    session.info[QUEUED] = True  # tells the caller's channel to send now, not at the next tick
    session.add(
        Outbox(
            person_id=person_id,
            chat_id=chat_id,
            kind=kind,
            body=body,
            checkin_id=checkin_id,
            dedupe_key=dedupe_key,
            status=PENDING,
            send_after=send_after,
            priority=priority,
            attempts=0,
            created_at=now,
        )
    )
    return True


async def claim_due(session: AsyncSession, now: datetime, limit: int) -> Sequence[Outbox]:
    """Take up to `limit` messages that are due, leasing them so a crash re-sends, never loses.

    A lease that ran out (the process died mid-send) makes a message due again.
    """
    rows = (
        await session.scalars(
            select(Outbox)
            .where(
                or_(Outbox.status == PENDING, Outbox.status == SENDING),
                Outbox.send_after <= now,
            )
            .order_by(Outbox.priority.desc(), Outbox.send_after, Outbox.id)
            .limit(limit)
        )
    ).all()
    for row in rows:
        row.status = SENDING
        row.send_after = now + LEASE
        row.attempts += 1
    return rows


async def mark_sent(
    session: AsyncSession, outbox_id: int, message_id: int | None, now: datetime
) -> None:
    await session.execute(
        update(Outbox)
        .where(Outbox.id == outbox_id)
        .values(status=SENT, message_id=message_id, sent_at=now, last_error=None)
    )


async def mark_retry(
    session: AsyncSession, outbox_id: int, when: datetime, error: str, refund: bool = False
) -> None:
    """Due again at `when`; `refund` gives back the attempt the claim counted (a rate limit)."""
    values: dict[str, Any] = {"status": PENDING, "send_after": when, "last_error": error[:200]}
    if refund:
        values["attempts"] = Outbox.attempts - 1
    await session.execute(update(Outbox).where(Outbox.id == outbox_id).values(**values))


async def mark_failed(session: AsyncSession, outbox_id: int, error: str) -> None:
    await session.execute(
        update(Outbox).where(Outbox.id == outbox_id).values(status=FAILED, last_error=error[:200])
    )


async def next_due_at(session: AsyncSession) -> datetime | None:
    return await session.scalar(
        select(Outbox.send_after)
        .where(or_(Outbox.status == PENDING, Outbox.status == SENDING))
        .order_by(Outbox.send_after)
        .limit(1)
    )
