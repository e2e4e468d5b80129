"""Button actions and their compact encoding as Telegram callback data (at most 64 bytes).

Decoding never trusts the data: every id it carries is checked again by the service against the
person who pressed the button, so a forged or stale button changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.alerting import AlertVerb

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


Action = CheckinAnswer | GuardianConsent | ChildAssent | ChooseLanguage | AlertAction | AskForHelp
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
    return None
