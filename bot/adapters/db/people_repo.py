"""Queries about people and their links (consents: consent_repo.py, mixed in)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db.consent_repo import ConsentQueries
from bot.adapters.db.models import ChildProfile, ContactPlan, Link, Person
from bot.domain.contact import DEFAULT_CADENCE_DAYS
from bot.domain.people import LinkKind, Role, nickname_key

FAMILY = (LinkKind.PARENT.value, LinkKind.CARER.value)


class PeopleRepo(ConsentQueries):
    """People queries over one unit of work's session (with the consent queries)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def people_on_account(self, telegram_id: int) -> Sequence[Person]:
        result = await self.session.scalars(
            select(Person).where(Person.telegram_id == telegram_id).order_by(Person.id)
        )
        return result.all()

    async def _child(self, condition: Any) -> tuple[Person, ChildProfile] | None:
        row = (
            await self.session.execute(
                select(Person, ChildProfile)
                .join(ChildProfile, ChildProfile.person_id == Person.id)
                .where(condition)
            )
        ).first()
        return (row[0], row[1]) if row else None

    async def child_by_nickname(self, nickname: str) -> tuple[Person, ChildProfile] | None:
        return await self._child(ChildProfile.nickname_key == nickname_key(nickname))

    async def child_with_profile(self, child_id: int) -> tuple[Person, ChildProfile] | None:
        return await self._child(Person.id == child_id)

    async def adult_by_name(self, role: Role, name: str) -> Sequence[Person]:
        result = await self.session.scalars(
            select(Person).where(Person.role == role.value, Person.display_name == name)
        )
        return result.all()

    async def add_link(self, kind: LinkKind, adult_id: int, child_id: int, now: datetime) -> bool:
        """Link an adult to a child; False when the link already existed.

        A parent link also starts the pair's contact plan, first nudge one cadence from now.
        """
        exists = await self.session.scalar(
            select(Link.id).where(
                Link.kind == kind.value, Link.adult_id == adult_id, Link.child_id == child_id
            )
        )
        if exists:
            return False
        self.session.add(
            Link(kind=kind.value, adult_id=adult_id, child_id=child_id, created_at=now)
        )
        if kind == LinkKind.PARENT:
            await self.ensure_contact_plan(adult_id, child_id, now)
        return True

    async def contact_plan(self, parent_id: int, child_id: int) -> ContactPlan | None:
        return await self.session.scalar(
            select(ContactPlan).where(
                ContactPlan.parent_id == parent_id, ContactPlan.child_id == child_id
            )
        )

    async def ensure_contact_plan(
        self, parent_id: int, child_id: int, now: datetime
    ) -> ContactPlan:
        """The pair's plan, started (first nudge one cadence from now) if there is none yet."""
        plan = await self.contact_plan(parent_id, child_id)
        if plan is None:
            plan = ContactPlan(
                parent_id=parent_id,
                child_id=child_id,
                cadence_days=DEFAULT_CADENCE_DAYS,
                next_nudge_at=now + timedelta(days=DEFAULT_CADENCE_DAYS),
                nudges_ignored=0,
                nudges_stopped=False,
                relay_paused=False,
                created_at=now,
            )
            self.session.add(plan)
            await self.session.flush()
        return plan

    async def linked_adults(self, child_id: int, kind: LinkKind) -> Sequence[Person]:
        result = await self.session.scalars(
            select(Person)
            .join(Link, Link.adult_id == Person.id)
            .where(Link.child_id == child_id, Link.kind == kind.value)
        )
        return result.all()

    async def merge_adult(self, duplicate: Person, into: Person) -> None:
        """Fold a second record of the same adult into the first (a parent invited once per child
        opens the second invite): one person with all the children, one contact plan per child."""
        kept = {
            (link.kind, link.child_id)
            for link in (
                await self.session.scalars(select(Link).where(Link.adult_id == into.id))
            ).all()
        }
        for link in (
            await self.session.scalars(select(Link).where(Link.adult_id == duplicate.id))
        ).all():
            if (link.kind, link.child_id) in kept:
                await self.session.delete(link)
            else:
                link.adult_id = into.id
        planned = set(
            (
                await self.session.scalars(
                    select(ContactPlan.child_id).where(ContactPlan.parent_id == into.id)
                )
            ).all()
        )
        plans = await self.session.scalars(
            select(ContactPlan).where(ContactPlan.parent_id == duplicate.id)
        )
        for plan in plans.all():
            if plan.child_id in planned:
                await self.session.delete(plan)
            else:
                plan.parent_id = into.id
        await self.session.flush()
        await self.session.delete(duplicate)
        await self.session.flush()

    async def family_children(self, adult_id: int) -> Sequence[Person]:
        """Children this adult is a parent or carer of."""
        result = await self.session.scalars(
            select(Person)
            .join(Link, Link.child_id == Person.id)
            .where(Link.adult_id == adult_id, Link.kind.in_(FAMILY))
            .order_by(Person.id)
        )
        return result.all()

    async def family_of(self, child_id: int) -> Sequence[tuple[Person, str]]:
        """The child's parents and carers, each with the kind of link."""
        rows = await self.session.execute(
            select(Person, Link.kind)
            .join(Link, Link.adult_id == Person.id)
            .where(Link.child_id == child_id, Link.kind.in_(FAMILY))
            .order_by(Person.id)
        )
        return [(person, kind) for person, kind in rows.all()]

    async def family_link(self, adult_id: int, child_id: int) -> str | None:
        """How this adult is the child's family ("parent" or "carer"), or None."""
        return await self.session.scalar(
            select(Link.kind)
            .where(Link.kind.in_(FAMILY), Link.adult_id == adult_id, Link.child_id == child_id)
            .order_by(
                Link.kind.desc()
            )  # a parent who is also the carer at home consents as parent
            .limit(1)
        )

    async def is_linked(self, kind: LinkKind, adult_id: int, child_id: int) -> bool:
        found = await self.session.scalar(
            select(Link.id).where(
                Link.kind == kind.value, Link.adult_id == adult_id, Link.child_id == child_id
            )
        )
        return found is not None

    async def link_kinds(self, adult_id: int, child_id: int) -> set[str]:
        """Every way this adult is tied to the child ("parent", "carer", "volunteer")."""
        kinds = await self.session.scalars(
            select(Link.kind).where(Link.adult_id == adult_id, Link.child_id == child_id)
        )
        return set(kinds.all())

    async def coordinators(self) -> Sequence[Person]:
        result = await self.session.scalars(
            select(Person).where(
                Person.role == Role.COORDINATOR.value, Person.telegram_id.is_not(None)
            )
        )
        return result.all()

    async def all_children(self) -> Sequence[tuple[Person, ChildProfile]]:
        rows = await self.session.execute(
            select(Person, ChildProfile).join(ChildProfile, ChildProfile.person_id == Person.id)
        )
        return [(person, profile) for person, profile in rows.all()]

    async def profiles_of(self, child_ids: Sequence[int]) -> dict[int, ChildProfile]:
        """Many children's profiles in one query (a coordinator's whole caseload)."""
        if not child_ids:
            return {}
        rows = await self.session.scalars(
            select(ChildProfile).where(ChildProfile.person_id.in_(child_ids))
        )
        return {profile.person_id: profile for profile in rows.all()}

    async def lonely_flagged(self) -> Sequence[tuple[Person, ChildProfile]]:
        """Children with the standing "consistently lonely" flag, longest flagged first."""
        rows = await self.session.execute(
            select(Person, ChildProfile)
            .join(ChildProfile, ChildProfile.person_id == Person.id)
            .where(ChildProfile.lonely_flagged_at.is_not(None))
            .order_by(ChildProfile.lonely_flagged_at, Person.display_name)
        )
        return [(person, profile) for person, profile in rows.all()]

    async def set_account_locale(self, telegram_id: int, locale: str) -> None:
        await self.session.execute(
            update(Person).where(Person.telegram_id == telegram_id).values(locale=locale)
        )

    async def mark_reachable(self, telegram_id: int, since: datetime | None) -> None:
        await self.session.execute(
            update(Person).where(Person.telegram_id == telegram_id).values(unreachable_since=since)
        )

    async def linked_children(self, adult_id: int, kind: LinkKind) -> Sequence[Person]:
        result = await self.session.scalars(
            select(Person)
            .join(Link, Link.child_id == Person.id)
            .where(Link.adult_id == adult_id, Link.kind == kind.value)
            .order_by(Person.id)
        )
        return result.all()
