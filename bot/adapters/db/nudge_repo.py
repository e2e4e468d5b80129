"""Queries for contact nudges: plans that are due, a parent's plans, the facts a starter uses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.adapters.db.models import Checkin, ChildProfile, ContactPlan, Person, Visit
from bot.domain.checkin_rules import CheckinStatus

Parent = aliased(Person)
Child = aliased(Person)


class NudgeRepo:
    """Nudge queries over one unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plans_due(
        self, now: datetime, limit: int
    ) -> Sequence[tuple[ContactPlan, Person, Person, ChildProfile]]:
        """Plans whose next nudge has come, oldest first, with the parent, child and profile."""
        rows = await self.session.execute(
            select(ContactPlan, Parent, Child, ChildProfile)
            .join(Parent, Parent.id == ContactPlan.parent_id)
            .join(Child, Child.id == ContactPlan.child_id)
            .join(ChildProfile, ChildProfile.person_id == ContactPlan.child_id)
            .where(ContactPlan.next_nudge_at <= now)
            .order_by(ContactPlan.next_nudge_at, ContactPlan.id)
            .limit(limit)
        )
        return [(plan, parent, child, profile) for plan, parent, child, profile in rows.all()]

    async def plans_of(
        self, parent_ids: Iterable[int], child_id: int | None = None
    ) -> Sequence[ContactPlan]:
        """The contact plans of these parents (with one child, or all of them)."""
        query = select(ContactPlan).where(ContactPlan.parent_id.in_(list(parent_ids)))
        if child_id is not None:
            query = query.where(ContactPlan.child_id == child_id)
        return (await self.session.scalars(query.order_by(ContactPlan.id))).all()

    async def checkins_completed_since(self, child_id: int, since: datetime) -> int:
        """How many check-ins the child finished since then: a count, never what they answered."""
        count = await self.session.scalar(
            select(func.count(Checkin.id)).where(
                Checkin.child_id == child_id,
                Checkin.status == CheckinStatus.COMPLETED.value,
                Checkin.completed_at >= since,
            )
        )
        return int(count or 0)

    async def latest_departure(self, child_id: int, on_or_before: date) -> date | None:
        """The most recent day a parent left the child (the end of a recorded visit)."""
        return await self.session.scalar(
            select(func.max(Visit.ends_on)).where(
                Visit.child_id == child_id, Visit.ends_on <= on_or_before
            )
        )
