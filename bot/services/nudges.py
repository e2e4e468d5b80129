"""Contact nudges: a parent who has been silent for the cadence gets a gentle reminder."""

from __future__ import annotations

from bot.services.deps import Deps


async def collect_nudges(deps: Deps) -> int:
    """Queue what is due now; returns how many messages were queued."""
    return 0
