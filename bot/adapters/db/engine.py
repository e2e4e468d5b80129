"""Engine and session factory, with the SQLite settings a busy bot needs.

WAL lets readers run beside the single writer, the busy timeout makes a second writer wait instead
of failing, BEGIN IMMEDIATE makes it wait at the start of its transaction, and foreign keys are off
in SQLite unless every connection asks for them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from bot.adapters.db.migrations import upgrade_to_head


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide where transactions begin (see _begin_immediate).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    """Take the write lock at the start of a transaction, not half-way through.

    A transaction that reads and then writes would otherwise fail at once with "database is
    locked" when another writer committed in between (the busy timeout cannot help there); with
    BEGIN IMMEDIATE it waits its turn instead. Savepoints also need this to work on SQLite.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _private_sqlite_file(path: Path) -> None:
    """Create the database file for its owner only (0600, a new folder 0700) before SQLite
    opens it, and tighten an existing one: it holds children's data, and SQLite would create
    it world-readable under the usual umask. SQLite gives its -wal and -shm files the main
    file's mode, so they follow; any left from before are tightened too.
    """
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))  # an empty file is a new database
    for companion in (
        path,
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
    ):
        if companion.exists():
            companion.chmod(0o600)


def make_engine(url: str) -> AsyncEngine:
    """Create the engine; for a SQLite file, create it (and its folder) owner-only first.

    `hide_parameters` keeps bound values (a child's words, names) out of error messages and logs.
    """
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1].split("?", 1)[0]
        if path and ":memory:" not in path and not path.startswith("file:"):
            _private_sqlite_file(Path(path))
        # One connection: SQLite allows one writer anyway, and queueing in the pool (an asyncio
        # wait) is fair, where many connections racing for SQLite's lock can each lose for the
        # whole busy timeout under a burst of taps and fail with "database is locked".
        engine = create_async_engine(
            url, hide_parameters=True, pool_size=1, max_overflow=0, pool_timeout=120
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision; safe to call at every start."""
    async with engine.begin() as connection:
        await connection.run_sync(upgrade_to_head)
