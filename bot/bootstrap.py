"""Composition root: builds the core (storage, clock, texts, dialogs) from settings.

Tests, the command line and the Telegram app all start here, with a real or a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.db.engine import make_engine, make_sessionmaker, migrate
from bot.adapters.dialogs import load_crisis_lexicon, load_questionnaire
from bot.adapters.texts import Texts
from bot.clock import Clock, SystemClock
from bot.config import SUPPORTED_LOCALES, Settings
from bot.services.deps import Deps


@dataclass
class Core:
    deps: Deps
    engine: AsyncEngine

    async def close(self) -> None:
        await self.engine.dispose()


async def build_core(settings: Settings, clock: Clock | None = None) -> Core:
    """Open the database, bring its schema up to date and load dialogs and catalogs."""
    engine = make_engine(settings.database_url)
    try:
        await migrate(engine)
    except Exception:
        await engine.dispose()
        raise
    load_crisis_lexicon()  # checked now: a malformed file stops the start, naming its field
    deps = Deps(
        sessions=make_sessionmaker(engine),
        clock=clock or SystemClock(),
        settings=settings,
        texts=Texts(SUPPORTED_LOCALES, settings.default_locale),
        questionnaire=load_questionnaire(),
        bot_username=settings.bot_username,
    )
    return Core(deps=deps, engine=engine)
