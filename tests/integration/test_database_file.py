"""The SQLite file holds children's data: readable by its owner only, however it was made."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.bootstrap import build_core
from bot.clock import FakeClock
from tests.conftest import MONDAY_10AM, make_settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    previous = os.umask(0o022)  # what a server's shell usually has: new files 0644
    yield
    os.umask(previous)


async def _start_and_write(path: Path) -> None:
    core = await build_core(make_settings(f"sqlite+aiosqlite:///{path}"), FakeClock(MONDAY_10AM))
    try:
        async with core.deps.stores.sessions.begin() as session:  # a write: the WAL file appears
            await session.execute(text("CREATE TABLE t (x)"))
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and _mode(wal) == 0o600  # SQLite gives it the file's own mode
    finally:
        await core.close()


async def test_a_fresh_sqlite_database_and_its_folder_are_owner_only(tmp_path, usual_umask):
    path = tmp_path / "data" / "tongban.db"
    await _start_and_write(path)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


async def test_an_existing_world_readable_database_is_tightened(tmp_path, usual_umask):
    path = tmp_path / "tongban.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    await _start_and_write(path)
    assert _mode(path) == 0o600
