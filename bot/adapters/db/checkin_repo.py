"""Queries about check-ins and their answers.

Every "what is due" query reads an index on a due time, so its cost follows what is due, not how
many children are enrolled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db import outbox_repo
from bot.adapters.db.models import Answer, Checkin, ChildProfile, Outbox, Person
from bot.domain.checkin_rules import CheckinStatus

OPEN = CheckinStatus.OPEN.value


_HAS_WORDS = or_(Answer.text.is_not(None), Answer.file_id.is_not(None))


class CheckinRepo:
    """Checkin queries over one unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _children_with_time_due(
        self, column: Any, now: datetime, limit: int
    ) -> Sequence[tuple[Person, ChildProfile]]:
        """Children whose `column` (an indexed due time on their profile) has come, oldest
        first."""
        rows = await self.session.execute(
            select(Person, ChildProfile)
            .join(Person, Person.id == ChildProfile.person_id)
            .where(column <= now)
            .order_by(column)
            .limit(limit)
        )
        return [(person, profile) for person, profile in rows.all()]

    async def children_due(
        self, now: datetime, limit: int
    ) -> Sequence[tuple[Person, ChildProfile]]:
        return await self._children_with_time_due(ChildProfile.next_checkin_at, now, limit)

    async def open_checkin(self, child_id: int) -> Checkin | None:
        return await self.session.scalar(
            select(Checkin)
            .where(Checkin.child_id == child_id, Checkin.status == OPEN)
            .order_by(Checkin.id.desc())
            .limit(1)
        )

    async def reminders_due(self, now: datetime, limit: int) -> Sequence[Checkin]:
        """Check-ins whose reminder time has come; `remind_at` is cleared whenever one closes, so
        the
        index on it alone finds them (filtering on status here made SQLite scan every open one)."""
        result = await self.session.scalars(
            select(Checkin)
            .where(Checkin.remind_at <= now)
            .order_by(Checkin.remind_at)
            .limit(limit)
        )
        return result.all()

    async def expired_open(self, now: datetime, limit: int) -> Sequence[Checkin]:
        result = await self.session.scalars(
            select(Checkin)
            .where(Checkin.status == OPEN, Checkin.expires_at <= now)
            .order_by(Checkin.expires_at)
            .limit(limit)
        )
        return result.all()

    async def answers(self, checkin_id: int) -> dict[str, Answer]:
        rows = await self.session.scalars(select(Answer).where(Answer.checkin_id == checkin_id))
        return {answer.question: answer for answer in rows.all()}

    async def count_answers(self, checkin_id: int) -> int:
        return int(
            await self.session.scalar(
                select(func.count(Answer.id)).where(Answer.checkin_id == checkin_id)
            )
            or 0
        )

    async def advance(self, checkin_id: int, from_step: str, to_step: str) -> bool:
        """Move a check-in on one step, only if it is still where the tap found it.

        The conditional update is what turns a double tap into one stored answer.
        """
        result = await self.session.execute(
            update(Checkin)
            .where(Checkin.id == checkin_id, Checkin.step == from_step, Checkin.status == OPEN)
            .values(step=to_step)
        )
        return result.rowcount == 1

    async def awaiting_words(
        self, telegram_id: int, step: str, now: datetime
    ) -> Sequence[Checkin]:
        """Open check-ins on this account waiting for a child's words (siblings may share a
        phone)."""
        result = await self.session.scalars(
            select(Checkin)
            .join(Person, Person.id == Checkin.child_id)
            .where(
                Person.telegram_id == telegram_id,
                Checkin.status == OPEN,
                Checkin.step == step,
                Checkin.expires_at > now,
            )
            .order_by(Checkin.id.desc())
        )
        return result.all()

    async def open_on_message(self, telegram_id: int, message_id: int) -> Checkin | None:
        """The open check-in on this account that lives in this message, whoever's it is."""
        return await self.session.scalar(
            select(Checkin)
            .join(Person, Person.id == Checkin.child_id)
            .where(
                Person.telegram_id == telegram_id,
                Checkin.status == OPEN,
                Checkin.message_id == message_id,
            )
        )

    async def move_to_message(self, checkin_id: int, message_id: int) -> int | None:
        """Record the message a check-in now lives in; returns the message it lived in before."""
        checkin = await self.session.get(Checkin, checkin_id)
        if checkin is None:
            return None
        previous = checkin.message_id
        checkin.message_id = message_id
        return previous

    async def request_adhoc(self, now: datetime, child_id: int | None) -> int:
        """Flag one child, or every child who may receive check-ins, for a check-in now.

        One set-based statement, so asking for a whole county's children takes no longer than one.
        """
        statement = (
            update(ChildProfile)
            .where(ChildProfile.next_checkin_at.is_not(None))
            .values(adhoc_requested_at=now)
        )
        if child_id is not None:
            statement = statement.where(ChildProfile.person_id == child_id)
        result = await self.session.execute(statement)
        return int(result.rowcount or 0)

    async def adhoc_due(self, now: datetime, limit: int) -> Sequence[tuple[Person, ChildProfile]]:
        return await self._children_with_time_due(ChildProfile.adhoc_requested_at, now, limit)

    async def count_children(self) -> int:
        return int(await self.session.scalar(select(func.count(ChildProfile.person_id))) or 0)

    async def words_of(self, child_id: int, since: datetime, limit: int) -> Sequence[Answer]:
        """The child's check-in words and voice notes given since `since`, newest first."""
        result = await self.session.scalars(
            select(Answer)
            .join(Checkin, Checkin.id == Answer.checkin_id)
            .where(Checkin.child_id == child_id, Answer.answered_at >= since, _HAS_WORDS)
            .order_by(Answer.answered_at.desc(), Answer.id.desc())
            .limit(limit)
        )
        return result.all()

    async def answer_with_checkin(self, answer_id: int) -> tuple[Answer, Checkin] | None:
        row = (
            await self.session.execute(
                select(Answer, Checkin)
                .join(Checkin, Checkin.id == Answer.checkin_id)
                .where(Answer.id == answer_id)
            )
        ).first()
        return (row[0], row[1]) if row else None

    async def mark_crisis_alerted(self, checkin_id: int, question: str) -> None:
        await self.session.execute(
            update(Answer)
            .where(Answer.checkin_id == checkin_id, Answer.question == question)
            .values(crisis_alerted=True)
        )

    async def forget_words(self, before: datetime, copies: Sequence[str]) -> int:
        """Clear the words and voice notes given before `before`, and the sent or failed outbox
        rows of `copies` kinds made before it (a voice note sent to staff to listen to); returns
        how many answers were cleared. Who answered, when and the scores stay."""
        cleared = await self.session.execute(
            update(Answer)
            .where(Answer.answered_at < before, _HAS_WORDS)
            .values(text=None, file_id=None, media_kind=None)
        )
        await self.session.execute(
            delete(Outbox).where(
                Outbox.kind.in_(copies),
                Outbox.status.in_((outbox_repo.SENT, outbox_repo.FAILED)),
                Outbox.created_at < before,
            )
        )
        return cleared.rowcount or 0
