"""The weekly update to each parent: how the week went, in gentle words, never private ones."""

from __future__ import annotations

from bot.services.deps import Deps


async def collect_updates(deps: Deps) -> int:
    """Queue what is due now; returns how many messages were queued."""
    return 0
