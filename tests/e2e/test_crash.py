"""kill -9 in the middle of a round of check-ins, with `python -m bot run` as a real process.

The emulator answers the 16th check-in and kills the bot before the answer reaches it, so
that send (and whichever others were in flight) went out without the bot learning its id.
After a restart every child must hold exactly one live check-in message, and the children
whose check-in never went out must get it within a minute, not after a long lease.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.adapters.db.models import Checkin, Person
from bot.bootstrap import build_core
from bot.domain.people import Role
from bot.emulator import server as emulator_server
from tests.conftest import make_settings
from tests.e2e.conftest import listen
from tests.helpers import enrol_consented_child, staff

ROOT = Path(__file__).resolve().parents[2]
CHILDREN = 50
KILL_AFTER = 16
COORDINATOR = 5001


def _child_tg(n: int) -> int:
    return 10_000 + n


def _live_checkins(user) -> list[int]:  # type: ignore[no-untyped-def]
    """Ids of the chat's messages a child can still answer a check-in on."""
    return [
        m.message_id
        for m in user.messages
        if not m.deleted
        and any(
            str(button.get("callback_data", "")).startswith("c:")
            for row in m.inline_keyboard
            for button in row
        )
    ]


def _bot_env(emulator, url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env.update(
        BOT_TOKEN=emulator.token,
        TELEGRAM_BASE_URL=emulator.base_url,
        TELEGRAM_BASE_FILE_URL=emulator.base_file_url,
        DATABASE_URL=url,
        PYTHONPATH=str(ROOT),
        NO_PROXY="127.0.0.1,localhost",
        SCHOOL_HOURS="",  # whenever the test runs, check-ins may go out at once
        QUIET_HOURS="",
        TICK_SECONDS="2",
    )
    return env


async def _start(env: dict[str, str], cwd: Path, log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as out:  # a file, not a pipe: a full pipe would stall the bot
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=cwd, env=env, stdout=out, stderr=out
        )


async def _seed(url: str) -> None:
    """A coordinator and 50 consented children, enrolled through the core (no chat traffic)."""
    core = await build_core(make_settings(url))
    try:
        await staff(core, Role.COORDINATOR, "Li", COORDINATOR)
        for n in range(CHILDREN):
            await enrol_consented_child(
                core, f"kid{n}", child_tg=_child_tg(n), parent_tg=20_000 + n
            )
    finally:
        await core.close()


def _kill_after_checkins(monkeypatch: pytest.MonkeyPatch, count: int, victim: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Telegram sends the message, then the bot dies before it hears back."""
    name, original = emulator_server._BY_LOWER["sendmessage"]
    sent = {"checkins": 0}

    async def send_and_kill(state, call):  # type: ignore[no-untyped-def]
        result = await original(state, call)
        buttons = (result.get("reply_markup") or {}).get("inline_keyboard") or []
        if any(b.get("callback_data", "").startswith("c:") for row in buttons for b in row):
            sent["checkins"] += 1
            if sent["checkins"] == count and victim.get("pid"):
                os.kill(victim["pid"], signal.SIGKILL)
        return result

    monkeypatch.setitem(emulator_server._BY_LOWER, "sendmessage", (name, send_and_kill))
    return sent


async def _wait_until_settled(children, deadline: float) -> dict[int, float]:  # type: ignore[no-untyped-def]
    """Poll until every child has exactly one live check-in; when each first had one."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    first_live: dict[int, float] = {}
    while loop.time() - started < deadline:
        for user in children:
            if user.id not in first_live and _live_checkins(user):
                first_live[user.id] = loop.time() - started
        if all(len(_live_checkins(user)) == 1 for user in children):
            return first_live
        await asyncio.sleep(0.2)
    counts = {user.id: len(_live_checkins(user)) for user in children}
    wrong = {k: v for k, v in counts.items() if v != 1}
    pytest.fail(f"after {deadline:.0f} s, children without exactly one live check-in: {wrong}")


async def test_kill_9_mid_round_leaves_one_live_checkin_each_and_no_long_wait(
    emulator, migrated_sqlite_url, tmp_path, monkeypatch
):
    await _seed(migrated_sqlite_url)
    coordinator = emulator.user(COORDINATOR, language_code="en")
    children = [emulator.user(_child_tg(n)) for n in range(CHILDREN)]
    victim: dict[str, Any] = {}
    sent = _kill_after_checkins(monkeypatch, KILL_AFTER, victim)
    env, log = _bot_env(emulator, migrated_sqlite_url), tmp_path / "bot.log"

    first = await _start(env, tmp_path, log)
    victim["pid"] = first.pid
    try:
        waiting = await listen(coordinator, seconds=20)
        await coordinator.send_text("/checkin_now all")
        assert "50" in (await waiting).text
        assert await asyncio.wait_for(first.wait(), 20) == -signal.SIGKILL
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    got = sum(bool(_live_checkins(user)) for user in children)
    assert KILL_AFTER <= got < CHILDREN, f"the kill did not land mid-round ({got} sent)"
    assert sent["checkins"] == got  # each was the child's first copy: no id was recorded

    victim.clear()
    second = await _start(env, tmp_path, log)
    try:
        first_live = await _wait_until_settled(children, deadline=60)
        assert max(first_live.values()) < 60
        await asyncio.sleep(2.5)  # a tick or so later nothing has changed back
        assert all(len(_live_checkins(user)) == 1 for user in children)
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 20) == 0, log.read_text()[-3000:]
    finally:
        if second.returncode is None:
            second.kill()
            await second.wait()
    assert b"Traceback" not in log.read_bytes(), log.read_text()[-3000:]
    await _checkins_live_where_the_database_says(migrated_sqlite_url, children)


async def _checkins_live_where_the_database_says(url: str, children) -> None:  # type: ignore[no-untyped-def]
    """The message each child can answer is the one the check-in is recorded in."""
    core = await build_core(make_settings(url))
    try:
        async with core.deps.stores.sessions() as session:
            rows = (
                await session.execute(
                    select(Person.telegram_id, Checkin.message_id).join(
                        Checkin, Checkin.child_id == Person.id
                    )
                )
            ).all()
    finally:
        await core.close()
    recorded = dict(rows)
    for user in children:
        assert _live_checkins(user) == [recorded[user.id]]
