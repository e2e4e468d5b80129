"""Composition root: builds the core (storage, clock, texts, dialogs) from settings.

Tests, the command line and the Telegram app all start here, with a real or a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.db.engine import make_engine, make_sessionmaker, migrate
from bot.adapters.dialog_bundle import load_dialogs
from bot.adapters.texts import Texts
from bot.clock import Clock, SystemClock
from bot.config import SUPPORTED_LOCALES, Settings
from bot.domain.throttle import Throttles
from bot.services.deps import Deps


@cache
def shared_texts(default_locale: str) -> Texts:
    """Templates and catalogs, compiled once per process (about half a second): they do not
    change while it runs, so every core built in it (tests, a restart) shares them."""
    return Texts(SUPPORTED_LOCALES, default_locale)


@dataclass
class Core:
    deps: Deps
    engine: AsyncEngine

    async def close(self) -> None:
        await self.engine.dispose()


async def build_core(settings: Settings, clock: Clock | None = None) -> Core:
    """Load dialogs and catalogs, open the database and bring its schema up to date."""
    # Every data file in dialogs/, read and checked first: a malformed one stops the start with
    # the file named (before the database is touched), instead of failing a tick hours later.
    dialogs = load_dialogs()
    engine = make_engine(settings.database_url)
    try:
        await migrate(engine)
    except Exception:
        await engine.dispose()
        raise
    deps = Deps(
        sessions=make_sessionmaker(engine),
        clock=clock or SystemClock(),
        settings=settings,
        texts=shared_texts(settings.default_locale),
        dialogs=dialogs,
        bot_username=settings.bot_username,
        throttles=Throttles.of(
            settings.stranger_replies,
            settings.stranger_reply_minutes,
            settings.invite_tries_per_hour,
        ),
    )
    return Core(deps=deps, engine=engine)
