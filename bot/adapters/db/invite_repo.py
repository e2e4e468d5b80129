"""Queries about invite codes (stored only as hashes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db.models import Invite


class InviteRepo:
    """Invite queries over one unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_invite(
        self,
        *,
        code_hash: str,
        person_id: int,
        created_by: int | None,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        """Store a new code for a person; any older unused code of theirs stops working now."""
        await self.session.execute(
            update(Invite)
            .where(Invite.person_id == person_id, Invite.used_at.is_(None))
            .values(expires_at=now)
        )
        self.session.add(
            Invite(
                code_hash=code_hash,
                person_id=person_id,
                created_by=created_by,
                created_at=now,
                expires_at=expires_at,
            )
        )
        await self.session.flush()

    async def find_usable(self, code_hash: str, now: datetime) -> Invite | None:
        invite = await self.session.scalar(select(Invite).where(Invite.code_hash == code_hash))
        if invite is None or invite.used_at is not None or invite.expires_at <= now:
            return None
        return invite

    async def claim(self, invite_id: int, now: datetime) -> bool:
        """Mark a code used with a conditional update, so two phones opening it at once bind
        one."""
        result = await self.session.execute(
            update(Invite)
            .where(Invite.id == invite_id, Invite.used_at.is_(None))
            .values(used_at=now)
        )
        return result.rowcount == 1
