"""Queries for visits and the follow-ups after each departure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db.models import Checkin, FollowUp, Visit


class VisitRepo:
    """Visit queries over one unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def overlapping_visit(
        self, child_id: int, starts_on: date, ends_on: date
    ) -> Visit | None:
        """A visit of this child that shares a day with these dates: the same stay, told again or
        corrected, never a second one."""
        return await self.session.scalar(
            select(Visit)
            .where(
                Visit.child_id == child_id, Visit.starts_on <= ends_on, Visit.ends_on >= starts_on
            )
            .order_by(Visit.ends_on.desc(), Visit.id.desc())
            .limit(1)
        )

    async def follow_ups_of(self, visit_id: int) -> Sequence[FollowUp]:
        return (
            await self.session.scalars(
                select(FollowUp).where(FollowUp.visit_id == visit_id).order_by(FollowUp.due_at)
            )
        ).all()

    async def drop_pending(self, visit_id: int) -> None:
        """Forget a visit's follow-ups that have not happened yet (its dates were corrected)."""
        await self.session.execute(
            delete(FollowUp).where(FollowUp.visit_id == visit_id, FollowUp.done_at.is_(None))
        )

    async def follow_ups_due(
        self, now: datetime, since: datetime, limit: int
    ) -> Sequence[FollowUp]:
        """Follow-ups due between `since` and now and not done yet, oldest first.

        The lower bound keeps the scan on the due-time index to the last few days, however many
        departures the program has seen; anything older is stale and skipped anyway.
        """
        return (
            await self.session.scalars(
                select(FollowUp)
                .where(
                    FollowUp.due_at <= now, FollowUp.due_at >= since, FollowUp.done_at.is_(None)
                )
                .order_by(FollowUp.due_at, FollowUp.id)
                .limit(limit)
            )
        ).all()

    async def checkin_due_between(self, child_id: int, start: datetime, end: datetime) -> bool:
        """Whether the child already has a check-in due in [start, end) (e.g. that local day)."""
        found = await self.session.scalar(
            select(Checkin.id)
            .where(Checkin.child_id == child_id, Checkin.due_at >= start, Checkin.due_at < end)
            .limit(1)
        )
        return found is not None

    async def pending_for(self, person_id: int, kind: str, now: datetime) -> Sequence[FollowUp]:
        """Follow-ups of one person still ahead (read through the due-time index)."""
        return (
            await self.session.scalars(
                select(FollowUp).where(
                    FollowUp.due_at >= now,
                    FollowUp.person_id == person_id,
                    FollowUp.kind == kind,
                    FollowUp.done_at.is_(None),
                )
            )
        ).all()
