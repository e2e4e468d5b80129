"""What the data files in `dialogs/` hold, as plain frozen values handed to the services.

`bot.adapters.dialog_bundle.load_dialogs` reads and checks every file once at start, and
`bot.bootstrap` puts the bundle in `Deps.dialogs`: a malformed file stops the start with the file
named instead of failing a tick hours later, and a test can hand a service other data without
touching a file. Nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.domain.detection.crisis_lexicon import CrisisLexicon
    from bot.domain.detection.crisis_model import CrisisModel
    from bot.domain.follow_ups import FollowUpSchedule
    from bot.domain.questionnaire import Questionnaire


@dataclass(frozen=True)
class AlertText:
    """What an alert of one reason says to a volunteer (both are msgids)."""

    title: str  # why, in plain words
    step: str  # a suggested next step


@dataclass(frozen=True)
class CallTiming:
    reminder_before: timedelta  # both are reminded this long before the call
    ask_after: timedelta  # the child is asked "did you talk?" this long after it
    answer_within: timedelta  # after ask_after + this, an unanswered question closes


@dataclass(frozen=True)
class HighlightChoice:
    key: str  # what is stored; never change one once children have used it
    child: str  # msgid: the button the child taps
    parent: str  # msgid: how the parent's weekly update says it


@dataclass(frozen=True)
class Dialogs:
    """Every piece of dialog data a use case needs (texts in it are gettext msgids)."""

    questionnaire: Questionnaire  # checkin.yaml
    crisis_lexicon: CrisisLexicon  # crisis_lexicon.yaml
    crisis_model: CrisisModel  # crisis_model.json
    hotlines: tuple[tuple[str, str], ...]  # crisis.yaml: (number, label msgid)
    alert_texts: Mapping[str, AlertText]  # alerts.yaml, per alert reason
    starters: Mapping[str, tuple[tuple[str, str], ...]]  # nudges.yaml: topic -> (key, msgid)
    holidays: tuple[tuple[date, date], ...]  # nudges.yaml: school holidays, first to last day
    follow_up_schedule: FollowUpSchedule  # departures.yaml
    call_timing: CallTiming  # calls.yaml
    highlights: tuple[HighlightChoice, ...]  # highlights.yaml, in the order they are offered

    def starter_text(self, key: str) -> str:
        """The msgid of the conversation starter stored as `key` (KeyError: none is)."""
        for items in self.starters.values():
            for stored, text in items:
                if stored == key:
                    return text
        raise KeyError(key)

    def highlight(self, key: str) -> HighlightChoice | None:
        """The highlight stored as `key`; None for one no longer offered."""
        return next((choice for choice in self.highlights if choice.key == key), None)
