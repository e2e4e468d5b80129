"""The dependencies every use case takes, wired once in `bot.bootstrap`."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.adapters.texts import Texts
from bot.clock import Clock
from bot.config import Settings
from bot.domain.questionnaire import Questionnaire


@dataclass
class Deps:
    sessions: async_sessionmaker
    clock: Clock
    settings: Settings
    texts: Texts
    questionnaire: Questionnaire
    bot_username: str = ""

    def tz_of(self, timezone: str | None) -> ZoneInfo:
        try:
            return ZoneInfo(timezone or self.settings.timezone)
        except (KeyError, ValueError):
            return self.settings.tz
