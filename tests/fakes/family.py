"""In-memory stand-ins for the storage that recording a visit uses, so the departure rules run
without a database. Only the repository methods those rules call are here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from itertools import count
from typing import Any

from bot.adapters.db.models import FollowUp, Person, Visit


class FakeVisits:
    """`store.visits` over plain lists."""

    def __init__(self) -> None:
        self.visits: list[Visit] = []
        self.follow_ups: list[FollowUp] = []

    async def overlapping_visit(
        self, child_id: int, starts_on: date, ends_on: date
    ) -> Visit | None:
        found = [
            v
            for v in self.visits
            if v.child_id == child_id and v.starts_on <= ends_on and v.ends_on >= starts_on
        ]
        return max(found, key=lambda v: (v.ends_on, v.id), default=None)

    async def follow_ups_of(self, visit_id: int) -> Sequence[FollowUp]:
        return sorted((f for f in self.follow_ups if f.visit_id == visit_id), key=_due)

    async def drop_pending(self, visit_id: int) -> None:
        self.follow_ups = [
            f for f in self.follow_ups if f.visit_id != visit_id or f.done_at is not None
        ]

    async def pending_for(self, person_id: int, kind: str, now: datetime) -> Sequence[FollowUp]:
        return [
            f
            for f in self.follow_ups
            if f.person_id == person_id
            and f.kind == kind
            and f.done_at is None
            and f.due_at >= now
        ]


class FakePeople:
    """`store.people`: who is linked to a child, and how."""

    def __init__(self) -> None:
        self.links: list[tuple[str, int, int]] = []  # (kind, adult_id, child_id)
        self.by_id: dict[int, Person] = {}

    async def linked_adults(self, child_id: int, kind: str) -> Sequence[Person]:
        return [self.by_id[a] for k, a, c in self.links if k == kind and c == child_id]


class FakeStore:
    """A unit of work whose rows live in memory; `flush` hands out ids as the database would."""

    def __init__(self) -> None:
        self.visits = FakeVisits()
        self.people = FakePeople()
        self._ids = count(1)
        self._added: list[Any] = []

    def add_person(self, person: Person) -> Person:
        person.id = next(self._ids)
        self.people.by_id[person.id] = person
        return person

    def add(self, row: Any) -> None:
        self._added.append(row)

    async def flush(self) -> None:
        for row in self._added:
            if row.id is None:
                row.id = next(self._ids)
            if isinstance(row, Visit):
                self.visits.visits.append(row)
            elif isinstance(row, FollowUp):
                self.visits.follow_ups.append(row)
        self._added.clear()

    async def get(self, model: type, key: int) -> Any:
        if model is Person:
            return self.people.by_id.get(key)
        if model is Visit:
            return next((v for v in self.visits.visits if v.id == key), None)
        raise NotImplementedError(model)


def _due(follow_up: FollowUp) -> datetime:
    return follow_up.due_at
