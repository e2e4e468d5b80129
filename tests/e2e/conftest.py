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
from bot.telegram.pacing import PaceLimits
from bot.telegram.rate_limit import TongbanRateLimiter
from tests.conftest import make_settings

LINK = re.compile(r"https://t\.me/\w+\?start=([A-Za-z0-9_-]+)")


@dataclass
class Harness:
    emulator: BotAPIEmulator
    settings: Settings
    clock: FakeClock
    core: Core
    bot: TongbanBot
    pace: PaceLimits | None = None  # the bot's own pacing; None: Telegram's, as in production

    async def tick(self) -> None:
        """One run of the repeating job, now (the tests drive time with the fake clock)."""
        await self.bot.tick()

    async def restart(self) -> None:
        """Stop the bot and the core as a deploy would, and start fresh ones on the same data."""
        await self.bot.stop()
        await self.core.close()
        self.core = await build_core(self.settings, self.clock)
        self.bot = _bot(self.core, self.settings, self.pace)
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


def loose_chat_limits() -> EmulatorLimits:
    """Telegram's limits but a far looser one per chat, for tests about a child's history
    (a dozen check-ins, each a send and five edits in the child's chat) rather than pacing:
    at one message a second per chat they would wait a minute or more for nothing. The global
    limit and every other emulator rule stay as they are."""
    return EmulatorLimits(per_chat_per_second=200, per_chat_burst=200)


@pytest.fixture
def emulator_limits() -> EmulatorLimits:
    """Telegram's limits; a module overrides this fixture with `loose_chat_limits()`."""
    return EmulatorLimits()


@pytest.fixture
async def emulator(emulator_limits: EmulatorLimits) -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator(limits=emulator_limits) as emu:
        yield emu


def bot_pace(limits: EmulatorLimits) -> PaceLimits | None:
    """The bot paces each chat as the emulator limits it: Telegram's pace (None) unless a test
    loosened the emulator's per-chat limit, which would be pointless with the bot still
    keeping one a second."""
    telegram = EmulatorLimits()
    if (limits.per_chat_per_second, limits.per_chat_burst) == (
        telegram.per_chat_per_second,
        telegram.per_chat_burst,
    ):
        return None
    return PaceLimits(chat_per_second=limits.per_chat_per_second, chat_burst=limits.per_chat_burst)


def _bot(core: Core, settings: Settings, pace: PaceLimits | None) -> TongbanBot:
    limiter = TongbanRateLimiter(pace, max_retries=3) if pace else None
    return TongbanBot(core, settings, rate_limiter=limiter)


@pytest.fixture
async def harness(emulator, emulator_limits, migrated_sqlite_url, clock) -> AsyncIterator[Harness]:
    settings = make_settings(
        migrated_sqlite_url,
        bot_token=emulator.token,
        bot_username="",
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
        tick_seconds=3600,  # the tests call tick() themselves, at the fake time they choose
    )
    core = await build_core(settings, clock)
    pace = bot_pace(emulator_limits)
    bot = _bot(core, settings, pace)
    await bot.start()
    h = Harness(emulator, settings, clock, core, bot, pace)
    yield h
    await h.bot.stop()
    await h.core.close()
