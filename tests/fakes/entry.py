"""In-memory stand-ins for what reading free words looks up (`bot/services/entry/free_text.py`
`read`): the alert a note is owed on, relayed messages a child may answer, open check-ins, and a
parent's children. Built on the alerts fakes (people, links, rows by id); only the repository
methods the reading calls are here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.adapters.db.models import Checkin, Person, Relay
from tests.fakes.alerts import FakeStore

OPEN = "open"


class FakeRelays:
    """Relayed messages, found by the message a child answered."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def by_message(self, recipient_id: int, message_id: int) -> Relay | None:
        return next(
            (
                row
                for (model, _), row in self.store.rows.items()
                if model is Relay
                and row.recipient_id == recipient_id
                and row.message_id == message_id
            ),
            None,
        )


class FakeOpenCheckins:
    """Open check-ins by child or by the account their child is on; none is ever advanced
    (storing words completes a check-in, which these fakes leave to the integration tests)."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def _open(self) -> list[Checkin]:
        rows = [row for (model, _), row in self.store.rows.items() if model is Checkin]
        return sorted((c for c in rows if c.status == OPEN), key=lambda c: -c.id)

    def _on_account(self, telegram_id: int) -> list[Checkin]:
        children = {
            row.id
            for (model, _), row in self.store.rows.items()
            if model is Person and row.telegram_id == telegram_id
        }
        return [c for c in self._open() if c.child_id in children]

    async def open_checkin(self, child_id: int) -> Checkin | None:
        return next((c for c in self._open() if c.child_id == child_id), None)

    async def awaiting_words(
        self, telegram_id: int, step: str, now: datetime
    ) -> Sequence[Checkin]:
        return [c for c in self._on_account(telegram_id) if c.step == step and c.expires_at > now]

    async def open_on_message(self, telegram_id: int, message_id: int) -> Checkin | None:
        return next((c for c in self._on_account(telegram_id) if c.message_id == message_id), None)

    async def advance(self, checkin_id: int, step: str, to: str) -> bool:
        raise AssertionError("storing a check-in's words is left to the integration tests")


class FakeEntryStore(FakeStore):
    """The alerts fake store, with relayed messages and open check-ins."""

    def __init__(self) -> None:
        super().__init__()
        self.relays = FakeRelays(self)
        self.checkins = FakeOpenCheckins(self)  # type: ignore[assignment]
