"""Composition root: builds the core (storage, clock, texts, dialogs) from settings.

Tests, the command line and the Telegram app all start here, with a real or a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.adapters.db.store import Stores
from bot.adapters.dialog_bundle import load_dialogs
from bot.adapters.texts import Texts
from bot.clock import Clock, SystemClock
from bot.config import SUPPORTED_LOCALES, Settings
from bot.domain.throttle import Throttles
from bot.services.deps import Deps


@cache
def shared_texts(default_locale: str, warm_up: bool = True) -> Texts:
    """Templates and catalogs, compiled once per process (about half a second): they do not
    change while it runs, so every core built in it (tests, a restart) shares them."""
    return Texts(SUPPORTED_LOCALES, default_locale, warm_up)


@dataclass
class Core:
    deps: Deps

    async def close(self) -> None:
        await self.deps.stores.close()


async def build_core(
    settings: Settings, clock: Clock | None = None, *, warm_up: bool = True
) -> Core:
    """Load dialogs and catalogs, open the database and bring its schema up to date.

    `warm_up=False` (one-shot command line verbs) leaves each template to be compiled when
    first used; the running bot compiles them all now, so its first alert waits for none."""
    # Every data file in dialogs/, read and checked first: a malformed one stops the start with
    # the file named (before the database is touched), instead of failing a tick hours later.
    dialogs = load_dialogs()
    stores = await Stores.open(settings.database_url)
    deps = Deps(
        stores=stores,
        clock=clock or SystemClock(),
        settings=settings,
        texts=shared_texts(settings.default_locale, warm_up),
        dialogs=dialogs,
        bot_username=settings.bot_username,
        throttles=Throttles.of(
            settings.stranger_replies,
            settings.stranger_reply_minutes,
            settings.invite_tries_per_hour,
        ),
    )
    return Core(deps=deps)
