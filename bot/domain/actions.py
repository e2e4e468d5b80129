"""Button actions and their compact encoding as Telegram callback data (at most 64 bytes).

Decoding never trusts the data: every id it carries is checked again by the service against the
person who pressed the button, so a forged or stale button changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.alerting import AlertVerb
from bot.domain.relay import QUICK_REPLIES

MAX_BYTES = 64
_KEY = re.compile(r"^[a-z_]{1,24}$")


@dataclass(frozen=True)
class CheckinAnswer:
    checkin_id: int
    step: str
    value: int


@dataclass(frozen=True)
class GuardianConsent:
    child_id: int
    agree: bool


@dataclass(frozen=True)
class ChildAssent:
    child_id: int
    agree: bool


@dataclass(frozen=True)
class ChooseLanguage:
    locale: str


@dataclass(frozen=True)
class AlertAction:
    alert_id: int
    verb: str  # an AlertVerb value


@dataclass(frozen=True)
class AskForHelp:
    """The help button on every check-in: the same path as /sos."""

    child_id: int


@dataclass(frozen=True)
class RelayChoice:
    """A parent with several children says whom a message is for (child 0: all of them)."""

    relay_id: int
    child_id: int


@dataclass(frozen=True)
class QuickReply:
    """A child's tap under a parent's message: a quick answer code, or "write"."""

    relay_id: int
    code: str


@dataclass(frozen=True)
class MuteRelay:
    """A child mutes parents' messages for some days (one of relay.MUTE_DAYS)."""

    child_id: int
    days: int


@dataclass(frozen=True)
class CallProposalAnswer:
    """The child (or a carer) answers a parent's proposed weekly call time.

    `call_time` is the proposal's code (see call_rules.encode_call_time): a tap on an older
    proposal no longer matches the one open, so it changes nothing.
    """

    plan_id: int
    call_time: str
    agree: bool


@dataclass(frozen=True)
class CallHappened:
    """The child says whether an agreed call took place."""

    call_id: int
    happened: bool


@dataclass(frozen=True)
class ShareHighlight:
    """A child picks a good thing to share with their parents (empty key: show the choices)."""

    child_id: int
    key: str


@dataclass(frozen=True)
class NudgeAction:
    """A parent's tap under a contact nudge: "w" (how to write) or "s" (stop the reminders)."""

    plan_id: int
    verb: str


@dataclass(frozen=True)
class ListenVoice:
    """A volunteer or coordinator asks to hear a child's check-in voice note (an answer id)."""

    answer_id: int


NUDGE_VERBS = ("w", "s")

Action = (
    CheckinAnswer
    | GuardianConsent
    | ChildAssent
    | ChooseLanguage
    | AlertAction
    | AskForHelp
    | RelayChoice
    | QuickReply
    | MuteRelay
    | CallProposalAnswer
    | CallHappened
    | ShareHighlight
    | NudgeAction
    | ListenVoice
)
VERBS = tuple(verb.value for verb in AlertVerb)


def encode(action: Action) -> str:
    match action:
        case CheckinAnswer(checkin_id, step, value):
            data = f"c:{checkin_id}:{step}:{value}"
        case GuardianConsent(child_id, agree):
            data = f"g:{child_id}:{'y' if agree else 'n'}"
        case ChildAssent(child_id, agree):
            data = f"a:{child_id}:{'y' if agree else 'n'}"
        case ChooseLanguage(locale):
            data = f"l:{locale}"
        case AlertAction(alert_id, verb):
            data = f"v:{alert_id}:{verb}"
        case AskForHelp(child_id):
            data = f"s:{child_id}"
        case RelayChoice(relay_id, child_id):
            data = f"r:{relay_id}:{child_id}"
        case QuickReply(relay_id, code):
            data = f"q:{relay_id}:{code}"
        case MuteRelay(child_id, days):
            data = f"m:{child_id}:{days}"
        case CallProposalAnswer(plan_id, call_time, agree):
            data = f"cp:{plan_id}:{call_time}:{'y' if agree else 'n'}"
        case CallHappened(call_id, happened):
            data = f"ct:{call_id}:{'y' if happened else 'n'}"
        case ShareHighlight(child_id, key):
            data = f"hl:{child_id}:{key or '-'}"
        case NudgeAction(plan_id, verb):
            data = f"n:{plan_id}:{verb}"
        case ListenVoice(answer_id):
            data = f"lv:{answer_id}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError("callback data over 64 bytes")
    return data


def _int(text: str) -> int | None:
    if re.fullmatch(r"-?\d{1,18}", text):
        return int(text)
    return None


def decode(data: str | None) -> Action | None:
    """The action behind callback data, or None for anything malformed."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    tag, args = parts[0], parts[1:]
    if tag == "c" and len(args) == 3:
        checkin_id, value = _int(args[0]), _int(args[2])
        if checkin_id is not None and value is not None and _KEY.match(args[1]):
            return CheckinAnswer(checkin_id, args[1], value)
    elif tag in ("g", "a") and len(args) == 2 and args[1] in ("y", "n"):
        child_id = _int(args[0])
        if child_id is not None:
            kind = GuardianConsent if tag == "g" else ChildAssent
            return kind(child_id, args[1] == "y")
    elif tag == "l" and len(args) == 1 and re.fullmatch(r"[A-Za-z_]{2,8}", args[0]):
        return ChooseLanguage(args[0])
    elif tag == "v" and len(args) == 2 and args[1] in VERBS:
        alert_id = _int(args[0])
        if alert_id is not None:
            return AlertAction(alert_id, args[1])
    elif tag == "s" and len(args) == 1:
        child_id = _int(args[0])
        if child_id is not None:
            return AskForHelp(child_id)
    elif tag in ("r", "m") and len(args) == 2:
        first, second = _int(args[0]), _int(args[1])
        if first is not None and second is not None:
            return RelayChoice(first, second) if tag == "r" else MuteRelay(first, second)
    elif tag == "q" and len(args) == 2 and args[1] in (*QUICK_REPLIES, "write"):
        relay_id = _int(args[0])
        if relay_id is not None:
            return QuickReply(relay_id, args[1])
    elif tag == "cp" and len(args) == 3 and args[2] in ("y", "n"):
        plan_id = _int(args[0])
        if plan_id is not None and re.fullmatch(r"\d{5}", args[1]):
            return CallProposalAnswer(plan_id, args[1], args[2] == "y")
    elif tag == "ct" and len(args) == 2 and args[1] in ("y", "n"):
        call_id = _int(args[0])
        if call_id is not None:
            return CallHappened(call_id, args[1] == "y")
    elif tag == "hl" and len(args) == 2 and (args[1] == "-" or _KEY.match(args[1])):
        child_id = _int(args[0])
        if child_id is not None:
            return ShareHighlight(child_id, "" if args[1] == "-" else args[1])
    elif tag == "n" and len(args) == 2 and args[1] in NUDGE_VERBS:
        plan_id = _int(args[0])
        if plan_id is not None:
            return NudgeAction(plan_id, args[1])
    elif tag == "lv" and len(args) == 1:
        answer_id = _int(args[0])
        if answer_id is not None:
            return ListenVoice(answer_id)
    return None
