"""Shared fixtures: settings, a fake clock, and a migrated database (SQLite, and PostgreSQL when
TONGBAN_TEST_POSTGRES_URL is set, as `.ci/run` does)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
os.environ.setdefault("PTB_TIMEDELTA", "1")

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


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> AsyncIterator[str]:
    """Each test gets an empty database of its own, dropped afterwards."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    if not POSTGRES_URL:
        pytest.skip("TONGBAN_TEST_POSTGRES_URL not set")
    import asyncpg

    if not await _postgres_answers():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {POSTGRES_URL} does not answer; CI must test it")
        pytest.skip("PostgreSQL does not answer here")

    name = f"tongban_{uuid.uuid4().hex[:12]}"
    admin_dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
async def core(settings: Settings, clock: FakeClock) -> AsyncIterator[Core]:
    core = await build_core(settings, clock)
    yield core
    await core.close()
