"""End to end: the real python-telegram-bot stack over HTTP against the local Bot API emulator."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.bootstrap import Core, build_core
from bot.clock import FakeClock
from bot.config import Settings
from bot.emulator import BotAPIEmulator, EmulatedUser, EmulatorLimits
from bot.telegram.app import TongbanBot
from tests.conftest import make_settings

LINK = re.compile(r"https://t\.me/\w+\?start=([A-Za-z0-9_-]+)")


@dataclass
class Harness:
    emulator: BotAPIEmulator
    settings: Settings
    clock: FakeClock
    core: Core
    bot: TongbanBot

    async def tick(self) -> None:
        """One run of the repeating job, now (the tests drive time with the fake clock)."""
        await self.bot.tick()

    async def restart(self) -> None:
        """Stop the bot and the core as a deploy would, and start fresh ones on the same data."""
        await self.bot.stop()
        await self.core.close()
        self.core = await build_core(self.settings, self.clock)
        self.bot = TongbanBot(self.core, self.settings)
        await self.bot.start()

    async def command(self, user: EmulatedUser, text: str, expect: str | None = None):
        """Send a command and return the bot's next message (optionally containing `expect`)."""
        waiting = await listen(user, (lambda m: expect in (m.text or "")) if expect else None)
        await user.send_text(text)
        return await waiting

    async def join(self, user: EmulatedUser, code: str):
        return await self.command(user, f"/start {code}")


async def listen(user: EmulatedUser, predicate=None, seconds: float = 5.0) -> asyncio.Task:
    """Start waiting for the user's next matching message before causing it (no race)."""
    task = asyncio.ensure_future(user.wait_for_message(predicate, timeout=seconds))
    await asyncio.sleep(0)  # let the waiter register
    return task


def invite_code(text: str) -> str:
    found = LINK.search(text)
    assert found, f"no invite link in {text!r}"
    return found.group(1)


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator(limits=EmulatorLimits()) as emu:
        yield emu


@pytest.fixture
async def harness(emulator, migrated_sqlite_url, clock) -> AsyncIterator[Harness]:
    settings = make_settings(
        migrated_sqlite_url,
        bot_token=emulator.token,
        bot_username="",
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
        tick_seconds=3600,  # the tests call tick() themselves, at the fake time they choose
    )
    core = await build_core(settings, clock)
    bot = TongbanBot(core, settings)
    await bot.start()
    h = Harness(emulator, settings, clock, core, bot)
    yield h
    await h.bot.stop()
    await h.core.close()
