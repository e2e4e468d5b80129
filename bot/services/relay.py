"""Messages between parents and children, carried by the bot and delivered at a good hour."""

from __future__ import annotations

from bot.services.deps import Deps


async def collect_relays(deps: Deps) -> int:
    """Queue what is due now; returns how many messages were queued."""
    return 0
