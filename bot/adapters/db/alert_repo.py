"""Queries about alerts, case notes, the access log and each child's monitoring state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db.models import (
    AccessLog,
    Alert,
    CaseNote,
    Checkin,
    DetectorStateRow,
    Link,
    Person,
)
from bot.domain.alerting import AlertStatus

OPEN_STATES = (AlertStatus.OPEN.value, AlertStatus.ACKNOWLEDGED.value)


class AlertRepo:
    """Alert queries over one unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_alert(self, child_id: int, reason: str) -> Alert | None:
        return await self.session.scalar(
            select(Alert).where(
                Alert.child_id == child_id, Alert.reason == reason, Alert.status.in_(OPEN_STATES)
            )
        )

    async def escalations_due(self, now: datetime, limit: int) -> Sequence[Alert]:
        result = await self.session.scalars(
            select(Alert)
            .where(Alert.escalate_at <= now, Alert.status == "open")
            .order_by(Alert.escalate_at)
            .limit(limit)
        )
        return result.all()

    async def open_alerts(self, child_ids: Sequence[int] | None) -> Sequence[Alert]:
        """Open alerts, urgent first, then oldest first (the order a coordinator works them in)."""
        urgent_first = case((Alert.severity == "urgent", 0), else_=1)
        query = select(Alert).where(Alert.status.in_(OPEN_STATES))
        if child_ids is not None:
            query = query.where(Alert.child_id.in_(child_ids))
        result = await self.session.scalars(query.order_by(urgent_first, Alert.opened_at))
        return result.all()

    async def caseload(self, volunteer_id: int) -> Sequence[Person]:
        result = await self.session.scalars(
            select(Person)
            .join(Link, Link.child_id == Person.id)
            .where(Link.adult_id == volunteer_id, Link.kind == "volunteer")
            .order_by(Person.display_name)
        )
        return result.all()

    async def recent_checkins(self, child_id: int, limit: int) -> Sequence[Checkin]:
        """The child's latest check-ins that have ended (answered, partly answered or missed)."""
        result = await self.session.scalars(
            select(Checkin)
            .where(Checkin.child_id == child_id, Checkin.status != "open")
            .order_by(Checkin.due_at.desc())
            .limit(limit)
        )
        return list(reversed(result.all()))

    async def recent_checkins_of(
        self, child_ids: Sequence[int], limit: int
    ) -> dict[int, list[Checkin]]:
        """`recent_checkins` for many children in one query (a coordinator's whole caseload)."""
        newest_first = (
            func.row_number()
            .over(partition_by=Checkin.child_id, order_by=Checkin.due_at.desc())
            .label("rank")
        )
        ranked = (
            select(Checkin.id, newest_first)
            .where(Checkin.child_id.in_(child_ids), Checkin.status != "open")
            .subquery()
        )
        rows = await self.session.scalars(
            select(Checkin)
            .join(ranked, ranked.c.id == Checkin.id)
            .where(ranked.c.rank <= limit)
            .order_by(Checkin.child_id, Checkin.due_at)
        )
        found: dict[int, list[Checkin]] = {child_id: [] for child_id in child_ids}
        for checkin in rows.all():
            found[checkin.child_id].append(checkin)
        return found

    async def notes(self, child_id: int, limit: int) -> Sequence[CaseNote]:
        result = await self.session.scalars(
            select(CaseNote)
            .where(CaseNote.child_id == child_id)
            .order_by(CaseNote.created_at.desc(), CaseNote.id.desc())
            .limit(limit)
        )
        return result.all()

    def add_note(
        self,
        child_id: int,
        author_id: int,
        text: str,
        now: datetime,
        alert_id: int | None = None,
    ) -> None:
        self.session.add(
            CaseNote(
                child_id=child_id,
                author_id=author_id,
                alert_id=alert_id,
                text=text,
                created_at=now,
            )
        )

    def log_access(self, viewer_id: int, child_id: int, action: str, now: datetime) -> None:
        self.session.add(AccessLog(viewer_id=viewer_id, child_id=child_id, action=action, at=now))

    async def detector_state(self, child_id: int) -> dict[str, Any] | None:
        row = await self.session.get(DetectorStateRow, child_id)
        return row.state if row else None

    async def save_detector_state(
        self, child_id: int, state: dict[str, Any], now: datetime
    ) -> None:
        row = await self.session.get(DetectorStateRow, child_id)
        if row is None:
            self.session.add(DetectorStateRow(child_id=child_id, state=state, updated_at=now))
        else:
            row.state = state
            row.updated_at = now
