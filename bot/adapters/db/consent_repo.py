"""Queries about a child's consents and assents: what stands, who gave it, withdrawing it.

Mixed into `PeopleRepo`, so services keep asking `store.people`; kept apart because consent
is its own job (PIPL art. 28 and 31) and the people queries alone fill a module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db.models import Consent
from bot.domain.consent import ConsentKind, ConsentState


class ConsentQueries:
    """Consent queries over the session of the repository they are mixed into."""

    session: AsyncSession

    async def consents_of(self, child_id: int, limit: int) -> Sequence[Consent]:
        """The child's consents and assents, newest first (withdrawn ones too: they are
        history)."""
        result = await self.session.scalars(
            select(Consent)
            .where(Consent.child_id == child_id)
            .order_by(Consent.given_at.desc(), Consent.id.desc())
            .limit(limit)
        )
        return result.all()

    async def guardian_consent_withdrawn_by(self, adult_id: int, child_id: int) -> bool:
        """Whether this adult's own latest guardian consent for the child has been withdrawn."""
        withdrawn = await self.session.scalar(
            select(Consent.withdrawn_at)
            .where(
                Consent.child_id == child_id,
                Consent.kind == ConsentKind.GUARDIAN.value,
                Consent.recorded_by == adult_id,
            )
            .order_by(Consent.given_at.desc(), Consent.id.desc())
            .limit(1)
        )
        return withdrawn is not None

    async def withdraw_consents(self, child_id: int, kind: ConsentKind, now: datetime) -> None:
        """Mark the child's standing consents of this kind withdrawn from now."""
        await self.session.execute(
            update(Consent)
            .where(
                Consent.child_id == child_id,
                Consent.kind == kind.value,
                Consent.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=now)
        )

    async def consent_state(self, child_id: int) -> ConsentState:
        kinds = set(
            (
                await self.session.scalars(
                    select(Consent.kind).where(
                        Consent.child_id == child_id, Consent.withdrawn_at.is_(None)
                    )
                )
            ).all()
        )
        return ConsentState(
            guardian=ConsentKind.GUARDIAN.value in kinds, assent=ConsentKind.ASSENT.value in kinds
        )
