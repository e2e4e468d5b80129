"""Relayed family messages: drafts, what is due for delivery, and answers to them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db import outbox_repo
from bot.adapters.db.models import Outbox, Relay
from bot.domain.relay import SETTLED, RelayStatus


class RelayRepo:
    """Relay queries over one unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due(self, now: datetime, limit: int) -> Sequence[Relay]:
        """Queued messages whose moment has come, oldest first."""
        result = await self.session.scalars(
            select(Relay)
            .where(Relay.status == RelayStatus.QUEUED.value, Relay.deliver_after <= now)
            .order_by(Relay.deliver_after, Relay.id)
            .limit(limit)
        )
        return result.all()

    async def forget_content(self, before: datetime) -> int:
        """Clear the words and files of settled messages older than `before` (their outbox copies
        too); returns how many messages were cleared. Who, when and what kind stay."""
        cleared = await self.session.execute(
            update(Relay)
            .where(
                Relay.status.in_([status.value for status in SETTLED]),
                Relay.created_at < before,
                or_(Relay.text.is_not(None), Relay.file_id.is_not(None)),
            )
            .values(text=None, file_id=None)
        )
        await self.session.execute(
            delete(Outbox).where(
                Outbox.kind == "relay",
                Outbox.status.in_((outbox_repo.SENT, outbox_repo.FAILED)),
                Outbox.created_at < before,
            )
        )
        return cleared.rowcount or 0

    async def release_queued(self, recipient_id: int, deliver_after: datetime) -> None:
        """Messages waiting for this recipient go at `deliver_after` (a mute was lifted)."""
        await self.session.execute(
            update(Relay)
            .where(Relay.recipient_id == recipient_id, Relay.status == RelayStatus.QUEUED.value)
            .values(deliver_after=deliver_after)
        )

    async def quick_reply_sent(self, reply_to_id: int, code: str) -> bool:
        found = await self.session.scalar(
            select(Relay.id).where(Relay.reply_to_id == reply_to_id, Relay.text == code).limit(1)
        )
        return found is not None

    async def by_message(self, recipient_id: int, message_id: int) -> Relay | None:
        """The relayed message a child answered with Telegram's Reply."""
        return await self.session.scalar(
            select(Relay).where(Relay.recipient_id == recipient_id, Relay.message_id == message_id)
        )
