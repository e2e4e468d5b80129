"""Agreed weekly calls: a reminder before, "did it happen?" after, misses shown to volunteers."""

from __future__ import annotations

from bot.services.deps import Deps


async def collect_calls(deps: Deps) -> int:
    """Queue what is due now; returns how many messages were queued."""
    return 0
