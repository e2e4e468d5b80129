"""Shared fixtures: settings, a fake clock, and a migrated database (SQLite, and PostgreSQL when
TONGBAN_TEST_POSTGRES_URL is set, as `.ci/run` does)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot.adapters.db.engine import make_engine, migrate
from bot.bootstrap import Core, build_core
from bot.clock import FakeClock
from bot.config import Settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
POSTGRES_URL = os.environ.get("TONGBAN_TEST_POSTGRES_URL", "")
# Monday 23 November 2026, 10:00 in Shanghai: a school day, during school hours.
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "bot_token": "123456:TEST-TOKEN",
        "bot_username": "tongban_test_bot",
        "tick_seconds": 0.2,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_10AM)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'tongban.db'}"


_POSTGRES_STATE: dict[str, bool] = {}


async def _postgres_answers() -> bool:
    """Asked once per run, so a machine without PostgreSQL skips fast instead of timing out."""
    if "up" not in _POSTGRES_STATE:
        import asyncpg

        dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
        try:
            connection = await asyncpg.connect(dsn, timeout=3)
            await connection.close()
            _POSTGRES_STATE["up"] = True
        except (OSError, asyncpg.PostgresError, TimeoutError):
            _POSTGRES_STATE["up"] = False
    return _POSTGRES_STATE["up"]


# Migrated once per run, then copied for each test: migrations cost about half a second a
# test on SQLite and more on PostgreSQL. `test_migrations.py` still migrates empty databases.
# Under pytest-xdist each worker is a process of its own: it migrates, copies and at the end
# drops templates of its own (random names, in its own temporary folder), never another's.
_TEMPLATES: dict[str, str] = {}


async def _migrated(url: str) -> None:
    engine = make_engine(url)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def migrated_sqlite_url(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file of this test's own, already at the newest schema."""
    if "sqlite" not in _TEMPLATES:
        template = tmp_path_factory.mktemp("template") / "tongban.db"
        await _migrated(f"sqlite+aiosqlite:///{template}")
        _TEMPLATES["sqlite"] = str(template)
    target = tmp_path / "tongban.db"
    shutil.copyfile(_TEMPLATES["sqlite"], target)
    return f"sqlite+aiosqlite:///{target}"


async def _postgres_database(migrated: bool) -> AsyncIterator[str]:
    """A database of the test's own on the test server (a copy of a migrated template, or
    empty), dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("TONGBAN_TEST_POSTGRES_URL not set")
    import asyncpg

    if not await _postgres_answers():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {POSTGRES_URL} does not answer; CI must test it")
        pytest.skip("PostgreSQL does not answer here")

    base = POSTGRES_URL.rsplit("/", 1)[0]
    admin = await asyncpg.connect(POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"))
    if migrated and "postgresql" not in _TEMPLATES:
        template = f"tongban_template_{uuid.uuid4().hex[:12]}"
        await admin.execute(f'CREATE DATABASE "{template}"')
        _TEMPLATES["postgresql"] = template  # dropped at the end of the run
        await _migrated(f"{base}/{template}")
    name = f"tongban_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{_TEMPLATES["postgresql"]}"' if migrated else ""
    await admin.execute(f'CREATE DATABASE "{name}"{copy}')
    # A test needs no durability across a power cut: commits return without waiting for the
    # disk (still atomic and at once visible to every connection), several times faster here.
    await admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
    try:
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_template() -> Iterator[None]:
    yield
    template = _TEMPLATES.pop("postgresql", None)
    if template is None:
        return

    async def drop() -> None:
        import asyncpg

        dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
        admin = await asyncpg.connect(dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        finally:
            await admin.close()

    asyncio.run(drop())


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> AsyncIterator[str]:
    """Each test gets an empty database of its own, dropped afterwards."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    async for url in _postgres_database(migrated=False):
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
async def migrated_database_url(
    request: pytest.FixtureRequest, migrated_sqlite_url: str
) -> AsyncIterator[str]:
    """Each test gets a database of its own at the newest schema, dropped afterwards."""
    if request.param == "sqlite":
        yield migrated_sqlite_url
        return
    async for url in _postgres_database(migrated=True):
        yield url


@pytest.fixture
def settings(migrated_database_url: str) -> Settings:
    return make_settings(migrated_database_url)


@pytest.fixture
async def core(settings: Settings, clock: FakeClock) -> AsyncIterator[Core]:
    core = await build_core(settings, clock)
    yield core
    await core.close()
