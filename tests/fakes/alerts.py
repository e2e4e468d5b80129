"""In-memory stand-ins for what raising, escalating and answering an alert reads and writes
(`bot/services/alerts/raising.py`, `ladder.py`, `answers.py`), so the ladder is tested without a
database. Only the repository methods those rules call are here; anything else fails loudly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from bot.adapters.db.models import Alert, Checkin, Person
from bot.bootstrap import shared_texts
from bot.clock import FakeClock
from bot.domain.alerting import AlertStatus
from bot.domain.dialog_data import Dialogs
from bot.domain.outgoing import Outgoing
from bot.domain.people import LinkKind, Role
from bot.services.deps import Deps
from tests.conftest import MONDAY_10AM, make_settings

OPEN_STATES = (AlertStatus.OPEN.value, AlertStatus.ACKNOWLEDGED.value)


class FakePeople:
    """People by id and their links (kind, adult id, child id)."""

    def __init__(self, rows: dict[tuple[type, int], Any], links: set[tuple[str, int, int]]):
        self.rows = rows
        self.links = links

    def _all(self) -> list[Person]:
        return sorted(
            (row for (model, _), row in self.rows.items() if model is Person), key=lambda p: p.id
        )

    async def people_on_account(self, telegram_id: int) -> Sequence[Person]:
        return [p for p in self._all() if p.telegram_id == telegram_id]

    async def linked_adults(self, child_id: int, kind: LinkKind) -> Sequence[Person]:
        ids = {a for k, a, c in self.links if k == kind and c == child_id}
        return [p for p in self._all() if p.id in ids]

    async def linked_children(self, adult_id: int, kind: LinkKind) -> Sequence[Person]:
        ids = {c for k, a, c in self.links if k == kind and a == adult_id}
        return [p for p in self._all() if p.id in ids]

    async def link_kinds(self, adult_id: int, child_id: int) -> set[str]:
        return {k for k, a, c in self.links if (a, c) == (adult_id, child_id)}

    async def coordinators(self) -> Sequence[Person]:
        return [p for p in self._all() if p.role == Role.COORDINATOR and p.telegram_id]


class FakeAlerts:
    """Alerts kept in the store's rows; the access log and case notes as plain lists."""

    def __init__(self, rows: dict[tuple[type, int], Any]) -> None:
        self.rows = rows
        self.access_log: list[tuple[int, int, str]] = []
        self.notes: list[tuple[int, int, str, int | None]] = []

    def _all(self) -> list[Alert]:
        return [row for (model, _), row in self.rows.items() if model is Alert]

    async def open_alert(self, child_id: int, reason: str) -> Alert | None:
        return next(
            (
                a
                for a in self._all()
                if a.child_id == child_id and a.reason == reason and a.status in OPEN_STATES
            ),
            None,
        )

    async def escalations_due(self, now: datetime, limit: int) -> Sequence[Alert]:
        due = [
            a
            for a in self._all()
            if a.escalate_at is not None and a.escalate_at <= now and a.status == "open"
        ]
        return sorted(due, key=lambda a: a.escalate_at)[:limit]

    async def recent_checkins(self, child_id: int, limit: int) -> Sequence[Checkin]:
        return []

    def log_access(self, viewer_id: int, child_id: int, action: str, now: datetime) -> None:
        self.access_log.append((viewer_id, child_id, action))

    def add_note(
        self, child_id: int, author_id: int, text: str, now: datetime, alert_id: int | None
    ) -> None:
        self.notes.append((child_id, author_id, text, alert_id))


class FakeCheckins:
    """No check-ins, so no words of the child to show on an alert."""

    async def words_of(self, child_id: int, since: datetime, limit: int) -> Sequence[Any]:
        return []


class FakeOutbox:
    """Queued messages in order; a dedupe key is queued once."""

    def __init__(self) -> None:
        self.items: list[Outgoing] = []
        self.queued = False

    async def enqueue(self, item: Outgoing, now: datetime) -> bool:
        if item.dedupe_key is not None and any(
            i.dedupe_key == item.dedupe_key for i in self.items
        ):
            return False
        self.items.append(item)
        self.queued = True
        return True

    def queued_in(self) -> bool:
        return self.queued


class FakeStore:
    """One unit of work over rows held in a dict; ids are given on `add`, as a flush would."""

    def __init__(self) -> None:
        self.rows: dict[tuple[type, int], Any] = {}
        self.links: set[tuple[str, int, int]] = set()
        self.people = FakePeople(self.rows, self.links)
        self.alerts = FakeAlerts(self.rows)
        self.checkins = FakeCheckins()
        self.outbox = FakeOutbox()

    async def get(self, model: type, key: Any) -> Any:
        return self.rows.get((model, key))

    def add(self, row: Any) -> None:
        if getattr(row, "id", None) is None:
            row.id = 1 + max((k for m, k in self.rows if m is type(row)), default=0)
        self.rows[(type(row), row.id)] = row

    async def flush(self) -> None:
        return None

    def forget(self, row: Any) -> None:
        self.rows.pop((type(row), row.id), None)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        yield

    def link(self, kind: LinkKind, adult: Person, child: Person) -> None:
        self.links.add((kind.value, adult.id, child.id))


class FakeStores:
    """Opens the one fake store, as `deps.stores` opens units of work."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[FakeStore]:
        yield self.store

    read = begin


def fake_deps(store: FakeStore, clock: FakeClock, dialogs: Dialogs) -> Deps:
    """The core's dependencies over the fake store (settings and texts as in every test)."""
    settings = make_settings("sqlite+aiosqlite:///unused.db")
    return Deps(
        stores=FakeStores(store),  # type: ignore[arg-type]
        clock=clock,
        settings=settings,
        texts=shared_texts(settings.default_locale, False),
        dialogs=dialogs,
    )


def person(pid: int, role: Role, telegram_id: int | None = None) -> Person:
    """Someone with an account of their own (`telegram_id` pid * 1000) unless one is given."""
    return Person(
        id=pid,
        role=role.value,
        display_name=f"{role.value}{pid}",
        telegram_id=pid * 1000 if telegram_id is None else telegram_id,
        locale="en",
        timezone="Asia/Shanghai",
        created_at=MONDAY_10AM,
    )
