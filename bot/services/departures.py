"""After a parent leaves again: extra light check-ins for the child, extra parent nudges."""

from __future__ import annotations

from bot.services.deps import Deps


async def collect_follow_ups(deps: Deps) -> int:
    """Queue what is due now; returns how many messages were queued."""
    return 0
