"""An in-memory Store for the relay release rule: just the lookups `collect_relays` and
`deliver_when_possible` make (due messages, people and profiles by key, the pair's contact plan
and consent, the outbox), so the rule runs without a database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.adapters.db.models import ChildProfile, ContactPlan, Person, Relay
from bot.domain.consent import ConsentState
from bot.domain.outgoing import Outgoing
from bot.domain.relay import RelayStatus


@dataclass
class FakeRelays:
    rows: list[Relay] = field(default_factory=list)

    async def due(self, now: datetime, limit: int) -> Sequence[Relay]:
        due = [
            r
            for r in self.rows
            if r.status == RelayStatus.QUEUED.value
            and r.deliver_after is not None
            and r.deliver_after <= now
        ]
        return sorted(due, key=lambda r: (r.deliver_after, r.id))[:limit]


@dataclass
class FakePeople:
    plans: dict[tuple[int, int], ContactPlan] = field(default_factory=dict)
    consents: dict[int, ConsentState] = field(default_factory=dict)

    async def contact_plan(self, parent_id: int, child_id: int) -> ContactPlan | None:
        return self.plans.get((parent_id, child_id))

    async def consent_state(self, child_id: int) -> ConsentState:
        return self.consents.get(child_id, ConsentState(guardian=False, assent=False))


@dataclass
class FakeOutbox:
    items: list[Outgoing] = field(default_factory=list)

    async def enqueue(self, item: Outgoing, now: datetime) -> bool:
        keys = {i.dedupe_key for i in self.items}
        if item.dedupe_key is not None and item.dedupe_key in keys:
            return False
        self.items.append(item)
        return True


class FakeStore:
    """Rows by model and key, and the three repositories the rule asks."""

    def __init__(self) -> None:
        self.rows: dict[tuple[type, Any], Any] = {}
        self.relays = FakeRelays()
        self.people = FakePeople()
        self.outbox = FakeOutbox()
        self._next_id = 1

    async def get(self, model: type, key: Any) -> Any:
        return self.rows.get((model, key))

    def add(self, row: Any) -> None:
        if getattr(row, "id", None) is None and not isinstance(row, ChildProfile):
            row.id = self._next_id
            self._next_id += 1
        if isinstance(row, Relay):
            self.relays.rows.append(row)
        elif isinstance(row, ChildProfile):
            self.rows[(ChildProfile, row.person_id)] = row
        elif isinstance(row, ContactPlan):
            self.people.plans[(row.parent_id, row.child_id)] = row
        if not isinstance(row, ChildProfile):
            self.rows[(type(row), row.id)] = row

    def consent(self, child: Person, guardian: bool = True) -> None:
        self.people.consents[child.id] = ConsentState(guardian=guardian, assent=True)


class _Opening:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def __aenter__(self) -> FakeStore:
        return self.store

    async def __aexit__(self, *exc: object) -> bool:
        return False


@dataclass
class FakeStores:
    """Every unit of work opens the same in-memory store (nothing to commit or roll back)."""

    store: FakeStore = field(default_factory=FakeStore)

    def begin(self) -> _Opening:
        return _Opening(self.store)

    def read(self) -> _Opening:
        return _Opening(self.store)
