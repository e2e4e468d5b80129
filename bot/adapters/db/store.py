"""The unit of work services receive: one transaction, its repositories, and the few plain ORM
steps a use case needs (fetch a row by key, add one, flush), so no service holds a session.

`Stores` opens them; `Store.session` is for the adapters and tests only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.adapters.db.alert_repo import AlertRepo
from bot.adapters.db.checkin_repo import CheckinRepo
from bot.adapters.db.engine import make_engine, make_sessionmaker, migrate
from bot.adapters.db.family_repo import FamilyRepo
from bot.adapters.db.invite_repo import InviteRepo
from bot.adapters.db.nudge_repo import NudgeRepo
from bot.adapters.db.outbox_repo import OutboxRepo
from bot.adapters.db.people_repo import PeopleRepo
from bot.adapters.db.relay_repo import RelayRepo
from bot.adapters.db.visit_repo import VisitRepo
from bot.domain.storage import Conflict, StorageError

Row = TypeVar("Row")


class Store:
    """The repositories over one session; rows they return are tracked until commit."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.alerts = AlertRepo(session)
        self.checkins = CheckinRepo(session)
        self.family = FamilyRepo(session)
        self.invites = InviteRepo(session)
        self.nudges = NudgeRepo(session)
        self.outbox = OutboxRepo(session)
        self.people = PeopleRepo(session)
        self.relays = RelayRepo(session)
        self.visits = VisitRepo(session)

    async def get(self, model: type[Row], key: Any) -> Row | None:
        return await self.session.get(model, key)

    def add(self, row: Any) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def refresh(self, row: Any) -> None:
        await self.session.refresh(row)

    def forget(self, row: Any) -> None:
        """Stop tracking a row a rolled-back savepoint left behind."""
        if row in self.session:
            self.session.expunge(row)

    def savepoint(self) -> _Savepoint:
        """A nested transaction: what the block wrote is undone if it raises; a write that a
        uniqueness rule refuses raises `Conflict`."""
        return _Savepoint(self.session)


class Stores:
    """Opens units of work on the program's database; owns its engine."""

    def __init__(self, engine: AsyncEngine, sessions: async_sessionmaker) -> None:
        self.engine = engine
        self.sessions = sessions

    @classmethod
    async def open(cls, url: str) -> Stores:
        """Connect and bring the schema up to date (a failed migration closes the engine)."""
        engine = make_engine(url)
        try:
            await migrate(engine)
        except Exception:
            await engine.dispose()
            raise
        return cls(engine, make_sessionmaker(engine))

    async def close(self) -> None:
        await self.engine.dispose()

    def begin(self) -> _Opening:
        """A transaction committed when the block ends, rolled back if it raises."""
        return _Opening(self.sessions.begin)

    def read(self) -> _Opening:
        """A session for reads that need no transaction of their own."""
        return _Opening(self.sessions)


# Context managers written out rather than with contextlib: its generator wrapper sets
# `__traceback__` on what the block raises, which frozen-dataclass errors refuse.


class _Opening:
    """Opens a session (in a transaction or not) as a `Store`; storage errors leave as
    `StorageError`, whatever else the block raises leaves unchanged."""

    def __init__(self, open_session: Callable[[], Any]) -> None:
        self._open = open_session
        self._context: Any = None

    async def __aenter__(self) -> Store:
        self._context = self._open()
        try:
            session = await self._context.__aenter__()
        except SQLAlchemyError as error:
            raise StorageError(type(error).__name__) from error
        return Store(session)

    async def __aexit__(self, kind: Any, error: BaseException | None, trace: Any) -> bool:
        try:
            await self._context.__aexit__(kind, error, trace)
        except SQLAlchemyError as failed:
            raise StorageError(type(failed).__name__) from failed
        if isinstance(error, SQLAlchemyError):
            raise StorageError(type(error).__name__) from error
        return False


class _Savepoint:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._nested: Any = None

    async def __aenter__(self) -> None:
        self._nested = self._session.begin_nested()
        await self._nested.__aenter__()

    async def __aexit__(self, kind: Any, error: BaseException | None, trace: Any) -> bool:
        try:
            await self._nested.__aexit__(kind, error, trace)
        except IntegrityError as refused:
            raise Conflict(str(refused.orig)) from refused
        if isinstance(error, IntegrityError):
            raise Conflict(str(error.orig)) from error
        return False
