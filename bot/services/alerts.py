"""Raising alerts about a child, delivering them, escalating them, and the volunteer's buttons.

One open alert per child and reason; its escalation ladder lives in the database (`escalate_at`),
so a restart neither forgets nor repeats a step. Urgent alerts reach the child's volunteer and
every coordinator at once, ignoring quiet hours; others respect the recipient's night.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from bot.adapters.db.models import Alert, Person
from bot.adapters.db.store import Store
from bot.domain.actions import AlertAction
from bot.domain.alerting import NOTE_LIMIT, WORDS_REASONS, AlertStatus, AlertVerb, verb_allowed
from bot.domain.awaiting import awaited, awaiting
from bot.domain.outgoing import Outgoing
from bot.domain.people import LinkKind, Role
from bot.domain.schedule import next_allowed
from bot.domain.storage import Conflict
from bot.services.access import CASEWORK, act_for
from bot.services.alert_view import alert_message
from bot.services.deps import Deps
from bot.services.outcome import Message, Outcome, Sender

log = logging.getLogger(__name__)
BATCH = 200
URGENT_PRIORITY, ALERT_PRIORITY = 2, 1  # outbox order: before any check-in of a round
# The ladder's top: an urgent alert goes to everyone every 15 min for 2 hours, then stops
# repeating (it stays open in /alerts) instead of waking every coordinator all night.
MAX_ESCALATIONS = 8
# How long "I contacted the child" waits for its outcome note before free text means other things.
OUTCOME_NOTE_WAIT = timedelta(hours=12)


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
            await _escalate(deps, store, alert, child, now)
            count += 1
    return count


async def _escalate(deps: Deps, store: Store, alert: Alert, child: Person, now: datetime) -> None:
    alert.escalation_level += 1
    next_step = now + deps.settings.escalation_times.after(alert.reason, alert.severity)
    alert.escalate_at = next_step if alert.escalation_level < MAX_ESCALATIONS else None
    if alert.escalate_at is None:
        log.error("alert %s: nobody acknowledged after %s steps", alert.id, MAX_ESCALATIONS)
    log.info("alert %s escalated to step %s", alert.id, alert.escalation_level)
    await notify(deps, store, alert, child, escalated=True)


async def on_button(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: AlertAction
) -> Outcome:
    alert = await store.get(Alert, action.alert_id)
    access = await act_for(store, people, alert.child_id, CASEWORK) if alert else None
    child = await store.get(Person, alert.child_id) if alert else None
    if alert is None or access is None or child is None:
        return Outcome.refusal()
    actor = access.person
    locale = actor.locale
    if alert.status == AlertStatus.CLOSED:
        return Outcome(
            toast=deps.texts.label("already_noted", locale),
            edit=await alert_message(deps, store, alert, child, actor),
        )
    now = deps.clock.now()
    verb = AlertVerb(action.verb)
    if not verb_allowed(alert.reason, alert.severity, verb, Role(actor.role), alert.detail):
        return Outcome(
            toast=deps.texts.label("not_allowed", locale),
            edit=await alert_message(deps, store, alert, child, actor),
        )
    replies: list[Message] = []
    if verb in (AlertVerb.ACKNOWLEDGE, AlertVerb.CONTACTED):
        alert.status = AlertStatus.ACKNOWLEDGED.value
        alert.acknowledged_by = alert.acknowledged_by or actor.id
        alert.acknowledged_at = alert.acknowledged_at or now
        alert.escalate_at = None
    if verb == AlertVerb.CONTACTED:
        actor.awaiting = awaiting("outcome", alert.id, now)
        replies.append(
            Message(deps.texts.render("ask_outcome", locale, nickname=child.display_name))
        )
    elif verb == AlertVerb.ESCALATE:
        alert.detail = {**alert.detail, "escalated_by": actor.id}
        await _escalate(deps, store, alert, child, now)
    elif verb == AlertVerb.SNOOZE:
        alert.escalate_at = now + timedelta(hours=deps.settings.alert_snooze_hours)
    log.info("alert %s: %s by person %s", alert.id, verb.value, actor.id)
    store.alerts.log_access(actor.id, alert.child_id, f"alert_{verb.value}", now)
    return Outcome(
        toast=deps.texts.label("noted", locale),
        edit=await alert_message(deps, store, alert, child, actor),
        replies=replies,
        outbox_changed=verb == AlertVerb.ESCALATE,
    )


async def record_outcome(deps: Deps, store: Store, actor: Person, text: str) -> Outcome | None:
    """The note a volunteer writes after "I contacted the child": saved, and the alert closed."""
    now = deps.clock.now()
    alert_id = awaited(actor.awaiting, "outcome", now, OUTCOME_NOTE_WAIT)
    if alert_id is None:
        return None  # not asked, or asked too long ago: this text is about something else
    if len(text) > NOTE_LIMIT:  # refused whole, and still awaited: a shorter one may follow
        error = deps.texts.render(
            "error", actor.locale, reason="note_too_long", limit=NOTE_LIMIT, length=len(text)
        )
        return Outcome.reply(error)
    actor.awaiting = None
    alert = await store.get(Alert, alert_id)
    if alert is None:
        return None
    store.alerts.add_note(alert.child_id, actor.id, text, now, alert.id)
    child = await store.get(Person, alert.child_id)
    nickname = child.display_name if child else ""
    if alert.status != AlertStatus.ACKNOWLEDGED:
        # Reopened since "I contacted the child" (new words, a new episode) or closed already:
        # the note is kept, and an old contact never closes what came after it.
        return Outcome.reply(deps.texts.render("note_saved", actor.locale, nickname=nickname))
    alert.status = AlertStatus.CLOSED.value
    alert.closed_at = now
    alert.escalate_at = None
    return Outcome.reply(deps.texts.render("outcome_saved", actor.locale, nickname=nickname))
