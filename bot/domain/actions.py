"""Every button action, declared once: its tag and typed fields (see `buttons`).

The tags and field order are the callback data on buttons already sent, so they never change
(`tests/unit/test_button_actions.py` pins each one). Decoding never trusts the data: every id it
carries is checked again by the service against the person who pressed the button, so a forged
or stale button changes nothing.
"""

from __future__ import annotations

from typing import Annotated

from bot.domain.alerting import AlertVerb
from bot.domain.buttons import MAX_BYTES as MAX_BYTES  # callers use them with the actions
from bot.domain.buttons import OneOf, Text, button
from bot.domain.buttons import decode as decode
from bot.domain.buttons import encode as encode
from bot.domain.relay import QUICK_REPLIES

KEY = Text(r"[a-z_]{1,24}")
NUDGE_VERBS = ("w", "s")


@button("c")
class CheckinAnswer:
    checkin_id: int
    step: Annotated[str, KEY]
    value: int


@button("g")
class GuardianConsent:
    child_id: int
    agree: bool


@button("a")
class ChildAssent:
    child_id: int
    agree: bool


@button("l")
class ChooseLanguage:
    locale: Annotated[str, Text(r"[A-Za-z_]{2,8}")]


@button("v")
class AlertAction:
    alert_id: int
    verb: AlertVerb


@button("s")
class AskForHelp:
    """The help button on every check-in: the same path as /sos."""

    child_id: int


@button("r")
class RelayChoice:
    """A parent with several children says whom a message is for (child 0: all of them)."""

    relay_id: int
    child_id: int


@button("q")
class QuickReply:
    """A child's tap under a parent's message: a quick answer code, or "write"."""

    relay_id: int
    code: Annotated[str, OneOf((*QUICK_REPLIES, "write"))]


@button("m")
class MuteRelay:
    """A child mutes parents' messages for some days (one of relay.MUTE_DAYS)."""

    child_id: int
    days: int


@button("cp")
class CallProposalAnswer:
    """The child (or a carer) answers a parent's proposed weekly call time.

    `call_time` is the proposal's code (see call_rules.encode_call_time): a tap on an older
    proposal no longer matches the one open, so it changes nothing.
    """

    plan_id: int
    call_time: Annotated[str, Text(r"[0-9]{5}")]
    agree: bool


@button("ct")
class CallHappened:
    """The child says whether an agreed call took place."""

    call_id: int
    happened: bool


@button("hl")
class ShareHighlight:
    """A child picks a good thing to share with their parents (empty key: show the choices)."""

    child_id: int
    key: Annotated[str, Text(KEY.pattern, empty="-")]


@button("n")
class NudgeAction:
    """A parent's tap under a contact nudge: "w" (how to write) or "s" (stop the reminders)."""

    plan_id: int
    verb: Annotated[str, OneOf(NUDGE_VERBS)]


@button("lv")
class ListenVoice:
    """A volunteer or coordinator asks to hear a child's check-in voice note (an answer id)."""

    answer_id: int
