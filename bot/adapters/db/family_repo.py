"""Queries about a family's contact: plans, agreed calls, highlights and a week's summary.

Every "what is due" query reads an index on a due time, so its cost follows what is due. The week's
summary reads mood values and check-in statuses only, never a child's words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.adapters.db.models import (
    Alert,
    Answer,
    CallRecord,
    Checkin,
    Consent,
    ContactPlan,
    Highlight,
    Person,
)
from bot.domain.alerting import AlertStatus
from bot.domain.call_rules import CallStatus
from bot.domain.checkin_rules import CheckinKind, CheckinStatus
from bot.domain.consent import ConsentKind

LIVE_ALERTS = (AlertStatus.OPEN.value, AlertStatus.ACKNOWLEDGED.value)
ANSWERED = (CheckinStatus.COMPLETED.value, CheckinStatus.INCOMPLETE.value)
PlanRow = tuple[ContactPlan, Person, Person]  # the plan, its parent, its child


class FamilyRepo:
    """Family queries over one unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _plans(
        self,
        condition: Callable[[Any], Any],
        order: Any,
        limit: int,
    ) -> list[PlanRow]:
        """Plans with their parent and child; `condition` gets the parent's alias."""
        parent, child = aliased(Person), aliased(Person)
        rows = await self.session.execute(
            select(ContactPlan, parent, child)
            .join(parent, parent.id == ContactPlan.parent_id)
            .join(child, child.id == ContactPlan.child_id)
            .where(condition(parent))
            .order_by(order)
            .limit(limit)
        )
        return [(plan, adult, kid) for plan, adult, kid in rows.all()]

    async def updates_due(self, now: datetime, limit: int) -> list[PlanRow]:
        """Plans whose weekly update moment has come, oldest first."""
        return await self._plans(
            lambda _: ContactPlan.next_update_at <= now, ContactPlan.next_update_at, limit
        )

    async def updates_unscheduled(self, limit: int) -> list[PlanRow]:
        """Plans of joined parents without an update moment yet (a newly linked parent)."""
        return await self._plans(
            lambda parent: ContactPlan.next_update_at.is_(None) & parent.telegram_id.is_not(None),
            ContactPlan.id,
            limit,
        )

    async def calls_to_remind(self, until: datetime, limit: int) -> list[PlanRow]:
        """Plans whose next agreed call starts by `until` (now plus the reminder lead)."""
        return await self._plans(
            lambda _: ContactPlan.next_call_at <= until, ContactPlan.next_call_at, limit
        )

    async def _calls(
        self, status: CallStatus, before: datetime, limit: int
    ) -> Sequence[CallRecord]:
        result = await self.session.scalars(
            select(CallRecord)
            .where(CallRecord.status == status.value, CallRecord.scheduled_at <= before)
            .order_by(CallRecord.scheduled_at)
            .limit(limit)
        )
        return result.all()

    async def calls_to_ask(self, before: datetime, limit: int) -> Sequence[CallRecord]:
        """Calls that took place by `before` and whose child has not been asked about them yet."""
        return await self._calls(CallStatus.UPCOMING, before, limit)

    async def calls_unanswered(self, before: datetime, limit: int) -> Sequence[CallRecord]:
        """Calls the child was asked about and has not answered, scheduled by `before`."""
        return await self._calls(CallStatus.ASKED, before, limit)

    async def upcoming_call(self, plan_id: int) -> CallRecord | None:
        return await self.session.scalar(
            select(CallRecord).where(
                CallRecord.plan_id == plan_id, CallRecord.status == CallStatus.UPCOMING.value
            )
        )

    async def call_at(self, plan_id: int, scheduled_at: datetime) -> CallRecord | None:
        return await self.session.scalar(
            select(CallRecord).where(
                CallRecord.plan_id == plan_id, CallRecord.scheduled_at == scheduled_at
            )
        )

    async def recent_calls(
        self, child_ids: Sequence[int], since: datetime
    ) -> Sequence[CallRecord]:
        """The children's calls since then that have an outcome or are waiting for one, newest
        first."""
        result = await self.session.scalars(
            select(CallRecord)
            .where(
                CallRecord.child_id.in_(child_ids),
                CallRecord.scheduled_at >= since,
                CallRecord.status.not_in((CallStatus.UPCOMING.value, CallStatus.CANCELLED.value)),
            )
            .order_by(CallRecord.scheduled_at.desc())
        )
        return result.all()

    async def take_call_proposal(self, plan_id: int, proposal: str) -> bool:
        """Clear the plan's open call proposal if it is still `proposal`; False if it changed
        or was taken (a conditional update, so two phones tapping at once decide only once)."""
        result = await self.session.execute(
            update(ContactPlan)
            .where(ContactPlan.id == plan_id, ContactPlan.call_proposal == proposal)
            .values(call_proposal=None)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def answer_call(self, call_id: int, status: CallStatus, now: datetime) -> bool:
        """Record the child's answer about an asked call; False if it was answered already."""
        result = await self.session.execute(
            update(CallRecord)
            .where(CallRecord.id == call_id, CallRecord.status == CallStatus.ASKED.value)
            .values(status=status.value, answered_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def plans_of_parent(self, parent_id: int) -> list[tuple[ContactPlan, Person]]:
        """This parent's contact plans with their children, in enrolment order."""
        rows = await self.session.execute(
            select(ContactPlan, Person)
            .join(Person, Person.id == ContactPlan.child_id)
            .where(ContactPlan.parent_id == parent_id)
            .order_by(Person.id)
        )
        return [(plan, child) for plan, child in rows.all()]

    async def consent_complete_since(self, child_id: int) -> datetime | None:
        """When both the guardian's consent and the child's assent came to stand, or None."""
        rows = await self.session.execute(
            select(Consent.kind, func.min(Consent.given_at))
            .where(Consent.child_id == child_id, Consent.withdrawn_at.is_(None))
            .group_by(Consent.kind)
        )
        given = dict(rows.all())
        needed = (ConsentKind.GUARDIAN.value, ConsentKind.ASSENT.value)
        if not all(kind in given for kind in needed):
            return None
        return max(given[kind] for kind in needed)

    async def live_alerts(self, child_id: int) -> list[tuple[str, str]]:
        """(reason, severity) of each alert about the child still open or acknowledged."""
        rows = await self.session.execute(
            select(Alert.reason, Alert.severity).where(
                Alert.child_id == child_id, Alert.status.in_(LIVE_ALERTS)
            )
        )
        return [(reason, severity) for reason, severity in rows.all()]

    async def checkins_in(self, child_id: int, start: datetime, end: datetime) -> tuple[int, int]:
        """(answered, sent) scheduled check-ins due in [start, end); cancelled ones were never
        really sent, and extra ones (a coordinator's, after a departure) are not the child's to
        keep
        up with."""
        rows = await self.session.execute(
            select(Checkin.status, func.count(Checkin.id))
            .where(
                Checkin.child_id == child_id,
                Checkin.kind == CheckinKind.SCHEDULED.value,
                Checkin.due_at >= start,
                Checkin.due_at < end,
                Checkin.status != CheckinStatus.CANCELLED.value,
            )
            .group_by(Checkin.status)
        )
        counts = dict(rows.all())
        return sum(counts.get(s, 0) for s in ANSWERED), sum(counts.values())

    async def moods_in(
        self, child_id: int, question: str, start: datetime, end: datetime
    ) -> list[tuple[int, datetime]]:
        """(mood value, when it was tapped) for the week's check-ins; values only, never words."""
        rows = await self.session.execute(
            select(Answer.value, Answer.answered_at)
            .join(Checkin, Checkin.id == Answer.checkin_id)
            .where(
                Checkin.child_id == child_id,
                Checkin.due_at >= start,
                Checkin.due_at < end,
                Answer.question == question,
                Answer.value.is_not(None),
            )
            .order_by(Answer.answered_at)
        )
        return [(int(value), at) for value, at in rows.all()]

    async def latest_highlight(self, child_id: int, start: datetime, end: datetime) -> str | None:
        return await self.session.scalar(
            select(Highlight.key)
            .where(
                Highlight.child_id == child_id,
                Highlight.created_at >= start,
                Highlight.created_at < end,
            )
            .order_by(Highlight.created_at.desc(), Highlight.id.desc())
            .limit(1)
        )

    def add_highlight(self, child_id: int, key: str, now: datetime) -> None:
        self.session.add(Highlight(child_id=child_id, key=key, created_at=now))
