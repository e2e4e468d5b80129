"""Raising alerts about a child and delivering them to whoever should read them now.

One open alert per child and reason; a repeat within an episode is not sent again (words to read
excepted), a new episode reopens the alert with a fresh ladder (`ladder`). Urgent alerts reach the
child's volunteer and every coordinator at once, ignoring quiet hours; others respect the
recipient's night.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from bot.adapters.db.models import Alert, Person
from bot.adapters.db.store import Store
from bot.domain.alerting import WORDS_REASONS, AlertStatus
from bot.domain.outgoing import Outgoing
from bot.domain.people import LinkKind
from bot.domain.schedule import next_allowed
from bot.domain.storage import Conflict
from bot.services.alerts.alert_view import alert_message
from bot.services.deps import Deps

log = logging.getLogger(__name__)
URGENT_PRIORITY, ALERT_PRIORITY = 2, 1  # outbox order: before any check-in of a round


async def recipients(
    store: Store, child_id: int, urgent: bool = False, escalated: bool = False
) -> list[Person]:
    """Who hears about a child: the volunteer, or coordinators when none can be reached (and
    everyone for urgent or escalated matters)."""
    volunteers = list(await store.people.linked_adults(child_id, LinkKind.VOLUNTEER))
    volunteers = [v for v in volunteers if v.telegram_id is not None and not v.unreachable_since]
    if volunteers and not (urgent or escalated):
        return volunteers
    coordinators = list(await store.people.coordinators())
    return volunteers + [c for c in coordinators if c.id not in {v.id for v in volunteers}]


async def notify(
    deps: Deps, store: Store, alert: Alert, child: Person, escalated: bool = False
) -> int:
    """Queue the alert for everyone who should read it now; returns how many were queued."""
    urgent = alert.severity == "urgent"
    now = deps.clock.now()
    queued = 0
    for reader in await recipients(store, child.id, urgent, escalated):
        message = await alert_message(deps, store, alert, child, reader, escalated)
        send_at = (
            now
            if urgent
            else next_allowed(now, deps.tz_of(reader.timezone), deps.settings.quiet_times)
        )
        card = Outgoing(
            person_id=reader.id,
            chat_id=reader.telegram_id or 0,
            kind="alert",
            send_after=send_at,
            message=message,
            priority=URGENT_PRIORITY if urgent else ALERT_PRIORITY,
            dedupe_key=(
                f"alert:{alert.id}:{alert.escalation_level}:"
                f"{alert.detail.get('repeats', 0)}:{reader.id}"
            ),
        )
        queued += await store.outbox.enqueue(card, now)
    if not queued:
        log.error(
            "alert %s for child %s reached nobody: no volunteer or coordinator", alert.id, child.id
        )
    return queued


async def raise_alert(
    deps: Deps,
    store: Store,
    child: Person,
    reason: str,
    severity: str,
    since: datetime | None = None,
    detail: dict[str, Any] | None = None,
) -> int:
    """Open an alert and send it; returns how many people it reached now.

    A concern still waiting for acknowledgement is not repeated: its escalation ladder is already
    at work, and volunteers must not drown (except words to read, WORDS_REASONS: new words are
    new news). Otherwise the live alert is reopened with the new
    words and its escalation clock restarted: an urgent one always, and an acknowledged concern
    when detection fires again (after its cooldown, so the child is still, or again, struggling).
    An acknowledgement must never silence what comes after it.
    """
    existing = await store.alerts.open_alert(child.id, reason)
    if (
        existing is not None
        and severity != "urgent"
        and existing.status == AlertStatus.OPEN
        and reason not in WORDS_REASONS
    ):
        log.info("alert %s for child %s still open: not repeated", existing.id, child.id)
        return 0
    now = deps.clock.now()
    if existing is not None:
        _reopen(deps, existing, since or now, detail or {}, now)
        log.info("alert %s raised again for child %s: %s", existing.id, child.id, reason)
        return await notify(deps, store, existing, child)
    alert = Alert(
        child_id=child.id,
        reason=reason,
        severity=severity,
        status=AlertStatus.OPEN.value,
        detail=detail or {},
        opened_at=now,
        since=since or now,
        escalation_level=0,
        escalate_at=now + deps.settings.escalation_times.after(reason, severity),
    )
    try:
        async with store.savepoint():
            store.add(alert)
            await store.flush()
    except Conflict:  # another message raised it a moment ago: treat as a repeat
        store.forget(alert)  # the rollback usually removed it already
        return await raise_alert(deps, store, child, reason, severity, since, detail)
    log.info("alert %s raised for child %s: %s (%s)", alert.id, child.id, reason, severity)
    return await notify(deps, store, alert, child)


def _reopen(
    deps: Deps, alert: Alert, since: datetime, detail: dict[str, Any], now: datetime
) -> None:
    """A new episode of a live alert: its own start, a fresh escalation ladder, and nobody's
    earlier acknowledgement or escalation carried over (the dedupe key moves on with
    `repeats`, so the new messages are sent)."""
    earlier = {k: v for k, v in alert.detail.items() if k != "escalated_by"}
    alert.detail = {**earlier, **detail, "repeats": alert.detail.get("repeats", 0) + 1}
    alert.status = AlertStatus.OPEN.value
    alert.since = since
    alert.acknowledged_by = None
    alert.acknowledged_at = None
    alert.escalation_level = 0
    alert.escalate_at = now + deps.settings.escalation_times.after(alert.reason, alert.severity)
