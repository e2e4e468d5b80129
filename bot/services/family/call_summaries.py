"""How a child's agreed calls went lately, as a volunteer sees it in /child and /mychildren."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.adapters.db.store import Store
from bot.domain.call_planning import summarise
from bot.services.deps import Deps

# How far back /child and /mychildren look at calls: about a month of weekly calls.
RECENT_CALLS = timedelta(days=28)


async def call_summaries(
    deps: Deps, store: Store, child_ids: Sequence[int]
) -> dict[int, dict[str, int] | None]:
    """How each child's agreed calls of the last four weeks went (None: there were none), for
    a whole caseload in one query."""
    since = deps.clock.now() - RECENT_CALLS
    records = await store.family.recent_calls(child_ids, since)
    return summarise(child_ids, ((record.child_id, record.status) for record in records))
