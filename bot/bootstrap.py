"""Composition root: builds the core (storage, clock, texts, dialogs) from settings.

Tests, the command line and the Telegram app all start here, with a real or a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters import contact_dialogs, dialogs, family_dialogs
from bot.adapters.db.engine import make_engine, make_sessionmaker, migrate
from bot.adapters.texts import Texts
from bot.clock import Clock, SystemClock
from bot.config import SUPPORTED_LOCALES, Settings
from bot.domain.throttle import Throttles
from bot.services.deps import Deps

# Every data file in dialogs/, read now (each loader caches): a malformed one stops the start
# with the file named, instead of failing a tick hours later.
DIALOG_DATA = (
    dialogs.load_crisis_lexicon,
    dialogs.load_crisis_model,
    dialogs.load_hotlines,
    dialogs.load_alert_texts,
    contact_dialogs.load_starters,
    contact_dialogs.load_holidays,
    contact_dialogs.load_follow_up_schedule,
    family_dialogs.load_call_timing,
    family_dialogs.load_highlights,
)


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
    for load in DIALOG_DATA:
        load()
    deps = Deps(
        sessions=make_sessionmaker(engine),
        clock=clock or SystemClock(),
        settings=settings,
        texts=Texts(SUPPORTED_LOCALES, settings.default_locale),
        questionnaire=dialogs.load_questionnaire(),
        bot_username=settings.bot_username,
        throttles=Throttles.of(
            settings.stranger_replies,
            settings.stranger_reply_minutes,
            settings.invite_tries_per_hour,
        ),
    )
    return Core(deps=deps, engine=engine)
