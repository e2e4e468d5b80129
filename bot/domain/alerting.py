"""Rules of the alert flow: escalation times, what a volunteer's button does, the trend line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class AlertStatus(StrEnum):
    OPEN = "open"  # nobody has taken it yet: it escalates when its time comes
    ACKNOWLEDGED = "acknowledged"  # a volunteer took it: no more escalation
    CLOSED = "closed"  # handled, with an outcome note


class AlertVerb(StrEnum):
    ACKNOWLEDGE = "ack"
    CONTACTED = "done"  # "I contacted the child": asks for an outcome note, then closes
    ESCALATE = "esc"
    SNOOZE = "snz"


TASK_REASONS = frozenset({"silence_task", "abuse_report"})
URGENT_REASONS = frozenset({"crisis", "sos", "abuse_report"})
# Each raise brings new words a person must read (the crisis screen was unsure): sent again
# even while the alert waits for acknowledgement, or the later words would never be seen.
WORDS_REASONS = frozenset({"please_read"})
# The longest case note kept (characters). A longer one is refused whole, never cut: a note
# that silently lost its end could mislead whoever reads the record next.
NOTE_LIMIT = 4000


@dataclass(frozen=True)
class EscalationTimes:
    """How long an alert may wait unacknowledged (issue 3 defaults: 24 h, 2 h, 15 min)."""

    concern: timedelta
    task: timedelta
    urgent: timedelta

    def after(self, reason: str, severity: str) -> timedelta:
        if severity == "urgent" or reason in URGENT_REASONS:
            return self.urgent
        if reason in TASK_REASONS:
            return self.task
        return self.concern


def verb_allowed(
    reason: str, severity: str, verb: AlertVerb, role: str, detail: dict[str, object]
) -> bool:
    """What a button may do to an alert.

    Urgent alerts and tasks cannot be snoozed; a manual escalation happens once; only a
    coordinator may close a mandatory-reporting task (they file the police report).
    """
    if verb == AlertVerb.SNOOZE and (severity == "urgent" or reason in TASK_REASONS):
        return False
    if verb == AlertVerb.ESCALATE and detail.get("escalated_by") is not None:
        return False
    return not (verb == AlertVerb.CONTACTED and reason == "abuse_report" and role != "coordinator")


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(scores: Sequence[int | None], low: int = 3, high: int = 9) -> str:
    """Loneliness scores (3-9) as ▁▂▃▅▇; a missed check-in shows as a gap (·)."""
    marks = []
    for score in scores:
        if score is None:
            marks.append("·")
            continue
        clamped = min(max(score, low), high)
        marks.append(SPARKS[round((clamped - low) / (high - low) * (len(SPARKS) - 1))])
    return "".join(marks)


class SignalAction(StrEnum):
    """What the bot does with one detector signal."""

    RETRY = "retry"  # a gentle extra check-in to the child, no alert
    TELL_CARER = "tell_carer"  # a short, warm word to the carer at home, no alert
    FLAG = "flag"  # a standing flag in the volunteer's and coordinators' views, never pushed
    ALERT = "alert"  # an alert to the child's volunteer
    NOTHING = "nothing"  # visible in the child's record only


_WATCH_ACTIONS = {
    "silence_retry": SignalAction.RETRY,
    "silence_carer": SignalAction.TELL_CARER,
    "consistently_lonely": SignalAction.FLAG,
}


def action_for(reason: str, severity: str) -> SignalAction:
    """The one mapping from detector signals to actions, shared by the bot and `replay`."""
    if reason in _WATCH_ACTIONS:
        return _WATCH_ACTIONS[reason]
    if severity == "watch":
        return SignalAction.NOTHING
    return SignalAction.ALERT


def invites_parent_to_write(reason: str, severity: str) -> bool:
    """Whether an open alert turns a parent's weekly update into a warm invitation to write.

    A worry about loneliness, mood or silence: a parent's words are what helps. Never a crisis
    or an abuse disclosure: those are for the volunteer and the social worker, and a changed
    update could tip off the very person a report is about. Nor words waiting to be read
    (please_read): unread, they may be either.
    """
    return severity != "urgent" and reason not in URGENT_REASONS | WORDS_REASONS


def may_tell_carer(live_alerts: Iterable[tuple[str, str]]) -> bool:
    """Whether the carer may get the silence word, given the child's live (reason, severity).

    Never while a crisis or abuse alert is live: the carer is often the very adult at home a
    report may be about, and an unusual message could tip them off (as for the parents'
    weekly update, `invites_parent_to_write`).
    """
    return all(invites_parent_to_write(reason, severity) for reason, severity in live_alerts)


def crisis_alerts(category: str) -> tuple[str, ...]:
    """Alert reasons a crisis finding opens: always "crisis"; abuse also a reporting task."""
    return ("crisis", "abuse_report") if category == "abuse" else ("crisis",)
