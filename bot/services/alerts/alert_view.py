"""Turning an alert into the message a volunteer or coordinator reads, in their language."""

from __future__ import annotations

from bot.adapters.db.models import Alert, Person
from bot.adapters.db.store import Store
from bot.domain.actions import AlertAction, encode
from bot.domain.alerting import AlertStatus, AlertVerb, sparkline, verb_allowed
from bot.domain.child_words import ALERT_WORDS_SHOWN
from bot.services.checkins import child_words
from bot.services.deps import Deps
from bot.services.formatting import local_time
from bot.services.outcome import Button, Keyboard, Message

TREND_LENGTH = 8


def reason_title(deps: Deps, reason: str, locale: str) -> str:
    return deps.texts.gettext(deps.dialogs.alert_texts[reason].title, locale)


def _buttons(deps: Deps, alert: Alert, reader: Person) -> Keyboard:
    """The buttons this reader may use on this alert now."""

    def allowed(verb: AlertVerb) -> bool:
        if verb == AlertVerb.ACKNOWLEDGE and alert.status == AlertStatus.ACKNOWLEDGED:
            return False
        return verb_allowed(alert.reason, alert.severity, verb, reader.role, alert.detail)

    def buttons(*verbs: AlertVerb) -> tuple[Button, ...]:
        return tuple(
            Button(
                deps.texts.label(f"alert_{verb.value}", reader.locale),
                encode(AlertAction(alert.id, verb.value)),
            )
            for verb in verbs
            if allowed(verb)
        )

    if alert.status == AlertStatus.CLOSED:
        return ()
    rows = (
        buttons(AlertVerb.ACKNOWLEDGE, AlertVerb.CONTACTED),
        buttons(AlertVerb.ESCALATE, AlertVerb.SNOOZE),
    )
    return tuple(row for row in rows if row)


async def alert_message(
    deps: Deps,
    store: Store,
    alert: Alert,
    child: Person,
    reader: Person,
    escalated: bool = False,
) -> Message:
    """Which child, why, since when, the recent trend, the last check-in, the child's latest
    words and a next step. Showing the words is a look at them: it is logged for the reader."""
    locale = reader.locale
    recent = await store.alerts.recent_checkins(child.id, TREND_LENGTH)
    last = recent[-1] if recent else None
    texts = deps.dialogs.alert_texts[alert.reason]
    excerpt = alert.detail.get("excerpt")
    words = await child_words.recent_words(
        deps, store, child.id, reader, ALERT_WORDS_SHOWN, leave_out=excerpt
    )
    if words:
        store.alerts.log_access(reader.id, child.id, "alert_words", deps.clock.now())
    text = deps.texts.render(
        "alert",
        locale,
        nickname=child.display_name,
        title=deps.texts.gettext(texts.title, locale),
        step=deps.texts.gettext(texts.step, locale),
        urgent=alert.severity == "urgent",
        escalated=escalated,
        level=alert.escalation_level,
        since=local_time(deps, alert.since, reader.timezone, locale),
        trend=sparkline([c.score if c.status == "completed" else None for c in recent]),
        last=local_time(deps, last.due_at, reader.timezone, locale) if last else None,
        last_status=last.status if last else None,
        excerpt=excerpt,
        words=words,
        status=alert.status,
    )
    listen = child_words.listen_buttons(deps, words, locale)
    return Message(text, _buttons(deps, alert, reader) + listen)
