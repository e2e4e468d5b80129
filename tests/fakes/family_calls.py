"""An in-memory Store for the call negotiation: only the repository methods the call flow uses
(people, family's call queries, the outbox), over one shared set of rows.

There are no transactions: what a use case writes is seen at once by every other store over the
same `World` (nothing is rolled back). Each repository call yields to the event loop once, as a
round trip to the database would, so two taps run with `asyncio.gather` really interleave; the
two conditional updates (`take_call_proposal`, `answer_call`) check and write without yielding,
as one statement would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.adapters.db.models import CallRecord, ContactPlan, Person
from bot.domain.call_rules import CallStatus
from bot.domain.consent import ConsentKind, ConsentState
from bot.domain.outgoing import Outgoing
from bot.domain.people import LinkKind, Role

FAMILY = (LinkKind.PARENT.value, LinkKind.CARER.value)
PlanRow = tuple[ContactPlan, Person, Person]


async def _trip() -> None:
    await asyncio.sleep(0)


@dataclass
class World:
    """Every row the fakes know, by kind; ids are handed out as rows are added."""

    rows: dict[type, dict[int, Any]] = field(default_factory=dict)
    links: list[tuple[int, int, str]] = field(default_factory=list)  # adult, child, kind
    consents: dict[int, set[str]] = field(default_factory=dict)  # child id -> kinds standing
    outbox: list[Outgoing] = field(default_factory=list)
    _next_id: int = 0

    def add(self, row: Any) -> Any:
        if getattr(row, "id", None) is None:
            self._next_id += 1
            row.id = self._next_id
        self.rows.setdefault(type(row), {})[row.id] = row
        return row

    def all(self, model: type) -> list[Any]:
        return list(self.rows.get(model, {}).values())

    def person(self, role: Role, name: str, telegram_id: int | None, **extra: Any) -> Person:
        values = {"locale": "en", "timezone": "Asia/Shanghai", "unreachable_since": None}
        values.update(extra)
        return self.add(
            Person(role=role.value, display_name=name, telegram_id=telegram_id, **values)
        )

    def link(self, kind: LinkKind, adult: Person, child: Person) -> None:
        self.links.append((adult.id, child.id, kind.value))

    def consent(self, child: Person, *kinds: ConsentKind) -> None:
        self.consents.setdefault(child.id, set()).update(kind.value for kind in kinds)

    def plan(self, parent: Person, child: Person) -> ContactPlan:
        return self.add(
            ContactPlan(
                parent_id=parent.id,
                child_id=child.id,
                relay_paused=False,
                call_schedule=None,
                next_call_at=None,
                call_proposal=None,
            )
        )


class FakePeople:
    def __init__(self, world: World) -> None:
        self.world = world

    async def consent_state(self, child_id: int) -> ConsentState:
        await _trip()
        kinds = self.world.consents.get(child_id, set())
        return ConsentState(
            guardian=ConsentKind.GUARDIAN.value in kinds, assent=ConsentKind.ASSENT.value in kinds
        )

    async def family_of(self, child_id: int) -> Sequence[tuple[Person, str]]:
        await _trip()
        people = self.world.rows[Person]
        found = [(people[a], k) for a, c, k in self.world.links if c == child_id and k in FAMILY]
        return sorted(found, key=lambda row: row[0].id)

    async def link_kinds(self, adult_id: int, child_id: int) -> set[str]:
        await _trip()
        return {k for a, c, k in self.world.links if a == adult_id and c == child_id}


class FakeFamily:
    """The call queries of `FamilyRepo`."""

    def __init__(self, world: World) -> None:
        self.world = world

    def _calls(self) -> list[CallRecord]:
        return self.world.all(CallRecord)

    async def plans_of_parent(self, parent_id: int) -> list[tuple[ContactPlan, Person]]:
        await _trip()
        people = self.world.rows[Person]
        plans = [p for p in self.world.all(ContactPlan) if p.parent_id == parent_id]
        return sorted(((p, people[p.child_id]) for p in plans), key=lambda row: row[1].id)

    async def calls_to_remind(self, until: datetime, limit: int) -> list[PlanRow]:
        await _trip()
        people = self.world.rows[Person]
        due = [
            p for p in self.world.all(ContactPlan) if p.next_call_at and p.next_call_at <= until
        ]
        due.sort(key=lambda plan: plan.next_call_at)
        return [(p, people[p.parent_id], people[p.child_id]) for p in due[:limit]]

    async def _with(self, status: CallStatus, before: datetime, limit: int) -> list[CallRecord]:
        await _trip()
        found = [c for c in self._calls() if c.status == status and c.scheduled_at <= before]
        return sorted(found, key=lambda call: call.scheduled_at)[:limit]

    async def calls_to_ask(self, before: datetime, limit: int) -> list[CallRecord]:
        return await self._with(CallStatus.UPCOMING, before, limit)

    async def calls_unanswered(self, before: datetime, limit: int) -> list[CallRecord]:
        return await self._with(CallStatus.ASKED, before, limit)

    async def upcoming_call(self, plan_id: int) -> CallRecord | None:
        await _trip()
        upcoming = CallStatus.UPCOMING.value
        return next(
            (c for c in self._calls() if c.plan_id == plan_id and c.status == upcoming), None
        )

    async def call_at(self, plan_id: int, scheduled_at: datetime) -> CallRecord | None:
        await _trip()
        calls = self._calls()
        return next(
            (c for c in calls if (c.plan_id, c.scheduled_at) == (plan_id, scheduled_at)), None
        )

    async def recent_calls(self, child_ids: Sequence[int], since: datetime) -> list[CallRecord]:
        await _trip()
        hidden = (CallStatus.UPCOMING.value, CallStatus.CANCELLED.value)
        found = [
            c
            for c in self._calls()
            if c.child_id in child_ids and c.scheduled_at >= since and c.status not in hidden
        ]
        return sorted(found, key=lambda call: call.scheduled_at, reverse=True)

    async def take_call_proposal(self, plan_id: int, proposal: str) -> bool:
        await _trip()
        plan = self.world.rows[ContactPlan].get(plan_id)
        if plan is None or plan.call_proposal != proposal:
            return False
        plan.call_proposal = None
        return True

    async def answer_call(self, call_id: int, status: CallStatus, now: datetime) -> bool:
        await _trip()
        call = self.world.rows.get(CallRecord, {}).get(call_id)
        if call is None or call.status != CallStatus.ASKED.value:
            return False
        call.status, call.answered_at = status.value, now
        return True


class FakeOutbox:
    def __init__(self, world: World) -> None:
        self.world = world

    async def enqueue(self, item: Outgoing, now: datetime) -> bool:
        await _trip()
        if item.dedupe_key is not None and any(
            queued.dedupe_key == item.dedupe_key for queued in self.world.outbox
        ):
            return False
        self.world.outbox.append(item)
        return True


class FakeStore:
    """What `Store` offers the call flow, over a `World`."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.people = FakePeople(world)
        self.family = FakeFamily(world)
        self.outbox = FakeOutbox(world)

    async def get(self, model: type, key: Any) -> Any:
        await _trip()
        return self.world.rows.get(model, {}).get(key)

    def add(self, row: Any) -> None:
        self.world.add(row)

    async def flush(self) -> None:
        await _trip()

    async def refresh(self, row: Any) -> None:
        await _trip()  # rows are shared: there is nothing newer to read


class _Opening:
    def __init__(self, world: World) -> None:
        self.world = world

    async def __aenter__(self) -> FakeStore:
        return FakeStore(self.world)

    async def __aexit__(self, *exc: object) -> bool:
        return False


class FakeStores:
    """Stands in for `Stores` in `Deps`: every unit of work opens over the same `World`."""

    def __init__(self, world: World) -> None:
        self.world = world

    def begin(self) -> _Opening:
        return _Opening(self.world)

    def read(self) -> _Opening:
        return _Opening(self.world)

    async def close(self) -> None:
        return None
