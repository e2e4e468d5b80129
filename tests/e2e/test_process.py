"""`python -m bot run` as a real process: answers over HTTP, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.e2e.conftest import listen

ROOT = Path(__file__).resolve().parents[2]


async def test_run_answers_and_stops_on_sigterm(emulator, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env.update(
        BOT_TOKEN=emulator.token,
        TELEGRAM_BASE_URL=emulator.base_url,
        TELEGRAM_BASE_FILE_URL=emulator.base_file_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
        PYTHONPATH=str(ROOT),
        NO_PROXY="127.0.0.1,localhost",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stranger = emulator.user(4321, language_code="en")
        waiting = await listen(stranger, seconds=20)
        await stranger.send_text("/start")
        assert "invite link" in (await waiting).text
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 20)
        _, stderr = await process.communicate()
        assert code == 0, stderr.decode()
        assert b"Traceback" not in stderr and b"stopping" in stderr
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
