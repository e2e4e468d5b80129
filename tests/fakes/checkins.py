"""An in-memory store for the check-in step rules: the `Store` calls `record_tap` and
`record_words` make, and the `CheckinRepo` methods they use, over plain lists.

Rows are the real model objects, held in memory; nothing here knows SQL. `advance` keeps the
repository's promise (move on only if the check-in is still open and at that step), which is
what turns a double tap into one stored answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import count
from typing import Any, TypeVar

from bot.adapters.db.models import Answer, Checkin, Person
from bot.domain.checkin_rules import CheckinStatus

T = TypeVar("T")
OPEN = CheckinStatus.OPEN.value


class FakeCheckinRepo:
    """The `CheckinRepo` methods the step rules call."""

    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self.crisis_marked: list[tuple[int, str]] = []

    def _answers_of(self, checkin_id: int) -> list[Answer]:
        return [a for a in self._store.rows(Answer) if a.checkin_id == checkin_id]

    def _on_account(self, telegram_id: int) -> list[Checkin]:
        children = {p.id for p in self._store.rows(Person) if p.telegram_id == telegram_id}
        return [c for c in self._store.rows(Checkin) if c.child_id in children]

    async def answers(self, checkin_id: int) -> dict[str, Answer]:
        return {a.question: a for a in self._answers_of(checkin_id)}

    async def count_answers(self, checkin_id: int) -> int:
        return len(self._answers_of(checkin_id))

    async def advance(self, checkin_id: int, from_step: str, to_step: str) -> bool:
        checkin = await self._store.get(Checkin, checkin_id)
        if checkin is None or checkin.step != from_step or checkin.status != OPEN:
            return False
        checkin.step = to_step
        return True

    async def awaiting_words(
        self, telegram_id: int, step: str, now: datetime
    ) -> Sequence[Checkin]:
        waiting = [
            c
            for c in self._on_account(telegram_id)
            if c.status == OPEN and c.step == step and c.expires_at > now
        ]
        return sorted(waiting, key=lambda c: c.id, reverse=True)

    async def open_on_message(self, telegram_id: int, message_id: int) -> Checkin | None:
        return next(
            (
                c
                for c in self._on_account(telegram_id)
                if c.status == OPEN and c.message_id == message_id
            ),
            None,
        )

    async def mark_crisis_alerted(self, checkin_id: int, question: str) -> None:
        self.crisis_marked.append((checkin_id, question))


class FakeStore:
    """The unit of work's row calls (`get`, `add`, `flush`, `refresh`) and `checkins`."""

    def __init__(self) -> None:
        self._rows: dict[type, dict[int, Any]] = {}
        self._ids = count(1)
        self.checkins = FakeCheckinRepo(self)

    def rows(self, model: type[T]) -> list[T]:
        return list(self._rows.get(model, {}).values())

    def add(self, row: Any) -> None:
        if row.id is None:
            row.id = next(self._ids)
        self._rows.setdefault(type(row), {})[row.id] = row

    async def get(self, model: type[T], row_id: int) -> T | None:
        return self._rows.get(model, {}).get(row_id)

    async def flush(self) -> None:
        """Rows are stored when added; nothing waits to be written."""

    async def refresh(self, row: Any) -> None:
        """The row in hand is the stored one."""
