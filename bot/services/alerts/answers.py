"""What a volunteer or coordinator does with an alert: its buttons, and the note after
"I contacted the child" that closes it."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.adapters.db.models import Alert, Person
from bot.adapters.db.store import Store
from bot.domain.actions import AlertAction
from bot.domain.alerting import NOTE_LIMIT, AlertStatus, AlertVerb, verb_allowed
from bot.domain.awaiting import awaited, awaiting
from bot.domain.people import Role
from bot.services.access import CASEWORK, act_for
from bot.services.alerts.alert_view import alert_message
from bot.services.alerts.ladder import escalate
from bot.services.deps import Deps
from bot.services.outcome import Message, Outcome, Sender

log = logging.getLogger(__name__)
# How long "I contacted the child" waits for its outcome note before free text means other things.
OUTCOME_NOTE_WAIT = timedelta(hours=12)


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
        await escalate(deps, store, alert, child, now)
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


async def owes_note(deps: Deps, store: Store, actor: Person, text: str) -> bool:
    """Whether these words are the note `actor` was asked for (then `record_outcome` takes
    them). A note asked for on an alert that is gone is forgotten here."""
    alert_id = awaited(actor.awaiting, "outcome", deps.clock.now(), OUTCOME_NOTE_WAIT)
    if alert_id is None:
        return False  # not asked, or asked too long ago: this text is about something else
    if len(text) > NOTE_LIMIT or await store.get(Alert, alert_id) is not None:
        return True
    actor.awaiting = None
    return False


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
