"""The dependencies every use case takes, wired once in `bot.bootstrap`."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.adapters.db.store import Stores
from bot.adapters.texts import Texts
from bot.clock import Clock
from bot.config import Settings
from bot.domain.dialog_data import Dialogs
from bot.domain.questionnaire import Questionnaire
from bot.domain.throttle import Throttles


@dataclass
class Deps:
    stores: Stores
    """Opens a unit of work (`async with deps.stores.begin() as store`)."""
    clock: Clock
    settings: Settings
    texts: Texts
    dialogs: Dialogs
    """Every piece of dialog data (dialogs/*.yaml), read and checked once at start."""
    bot_username: str = ""
    throttles: Throttles = field(default_factory=Throttles)
    """Per-account allowances for unearned answers; in memory, so a restart resets them."""

    @property
    def questionnaire(self) -> Questionnaire:
        """The check-in questionnaire (dialogs/checkin.yaml)."""
        return self.dialogs.questionnaire

    def tz_of(self, timezone: str | None) -> ZoneInfo:
        try:
            return ZoneInfo(timezone or self.settings.timezone)
        except (KeyError, ValueError):
            return self.settings.tz
