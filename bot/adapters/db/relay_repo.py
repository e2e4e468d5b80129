"""Relayed family messages: drafts, what is due for delivery, and answers to them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db.models import Relay
from bot.domain.relay import RelayStatus


async def due(session: AsyncSession, now: datetime, limit: int) -> Sequence[Relay]:
    """Queued messages whose moment has come, oldest first."""
    result = await session.scalars(
        select(Relay)
        .where(Relay.status == RelayStatus.QUEUED.value, Relay.deliver_after <= now)
        .order_by(Relay.deliver_after, Relay.id)
        .limit(limit)
    )
    return result.all()


async def quick_reply_sent(session: AsyncSession, reply_to_id: int, code: str) -> bool:
    found = await session.scalar(
        select(Relay.id).where(Relay.reply_to_id == reply_to_id, Relay.text == code).limit(1)
    )
    return found is not None


async def by_message(session: AsyncSession, recipient_id: int, message_id: int) -> Relay | None:
    """The relayed message a child answered with Telegram's Reply."""
    return await session.scalar(
        select(Relay).where(Relay.recipient_id == recipient_id, Relay.message_id == message_id)
    )
