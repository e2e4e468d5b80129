"""The escalation ladder: an alert nobody acknowledged in time is sent again, to the
coordinators too, step by step.

The ladder lives in the database (`escalate_at`), so a restart neither forgets nor repeats a step.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.adapters.db.models import Alert, Person
from bot.adapters.db.store import Store
from bot.domain.schedule import next_allowed
from bot.services.alerts.raising import notify
from bot.services.deps import Deps

log = logging.getLogger(__name__)
BATCH = 200
# The ladder's top: an urgent alert goes to everyone every 15 min for 2 hours, then stops
# repeating (it stays open in /alerts) instead of waking every coordinator all night.
MAX_ESCALATIONS = 8


async def escalate_due(deps: Deps) -> int:
    """Send again, to the coordinators too, every alert nobody acknowledged in time.

    A concern or task that falls due in the night waits for the morning instead of climbing
    its ladder while nobody may read it (its messages would all arrive at once at 07:30);
    urgent alerts go on at any hour.
    """
    now = deps.clock.now()
    count = 0
    async with deps.stores.begin() as store:
        for alert in await store.alerts.escalations_due(now, BATCH):
            child = await store.get(Person, alert.child_id)
            if child is None:
                continue
            if alert.severity != "urgent":
                morning = next_allowed(now, deps.settings.tz, deps.settings.quiet_times)
                if morning > now:
                    alert.escalate_at = morning
                    continue
            await escalate(deps, store, alert, child, now)
            count += 1
    return count


async def escalate(deps: Deps, store: Store, alert: Alert, child: Person, now: datetime) -> None:
    """One step up: sent again to everyone (coordinators too), the next step timed, or none
    past the top."""
    alert.escalation_level += 1
    next_step = now + deps.settings.escalation_times.after(alert.reason, alert.severity)
    alert.escalate_at = next_step if alert.escalation_level < MAX_ESCALATIONS else None
    if alert.escalate_at is None:
        log.error("alert %s: nobody acknowledged after %s steps", alert.id, MAX_ESCALATIONS)
    log.info("alert %s escalated to step %s", alert.id, alert.escalation_level)
    await notify(deps, store, alert, child, escalated=True)
