"""Golden transcripts: each tests/transcripts/*.yaml replayed through the core with a fake
clock (on SQLite, and PostgreSQL when configured), and the ones marked `emulator: true` also end
to end through the Bot API emulator, against the same expected block.

`TONGBAN_WRITE_TRANSCRIPTS=1` rewrites each file's `expected:` block from the core run on
SQLite (deliberately: read the change in `git diff`); otherwise every run only compares, and a
difference is printed as a unified diff.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from bot.bootstrap import Core
from bot.clock import FakeClock
from tests.conftest import SHANGHAI
from tests.e2e.conftest import Harness
from tests.transcripts.core_channel import CoreChannel
from tests.transcripts.emulator_channel import EmulatorChannel
from tests.transcripts.runner import Player
from tests.transcripts.script import load, write_expected

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*.yaml"))
END_TO_END = [path for path in FILES if load(path, SHANGHAI).emulator]
WRITE = os.environ.get("TONGBAN_WRITE_TRANSCRIPTS") == "1"


def _compare(path: Path, actual: str, may_write: bool) -> None:
    script = load(path, SHANGHAI)
    if WRITE and may_write:
        write_expected(path, actual)
        return
    if actual == script.expected:
        return
    diff = difflib.unified_diff(
        script.expected.splitlines(),
        actual.splitlines(),
        f"{path.name} (expected)",
        f"{path.name} (actual)",
        lineterm="",
    )
    hint = "If the change is intended: TONGBAN_WRITE_TRANSCRIPTS=1 pytest tests/transcripts"
    pytest.fail("\n".join([*diff, "", hint]), pytrace=False)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
async def test_through_the_core(path: Path, core: Core, clock: FakeClock) -> None:
    actual = await Player(load(path, SHANGHAI), CoreChannel(core), clock).play()
    on_sqlite = core.deps.settings.database_url.startswith("sqlite")
    _compare(path, actual, may_write=on_sqlite)


@pytest.mark.parametrize("path", END_TO_END, ids=lambda p: p.stem)
async def test_end_to_end(path: Path, harness: Harness) -> None:
    channel = EmulatorChannel(harness.emulator, harness.core, harness.bot)
    actual = await Player(load(path, SHANGHAI), channel, harness.clock).play()
    _compare(path, actual, may_write=False)
