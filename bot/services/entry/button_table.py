"""Which service answers each button action, and the one refusal for every button that fails.

An action is declared once in `domain/actions.py`; here it gets its handler. Every handler
takes the same arguments (everyone on the pressing account, and the decoded action) and checks
for itself, through `access`, who on the account may act on the ids the action carries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain import actions
from bot.services.alerts import answers, crisis_path, highlights
from bot.services.checkins import checkins, voice_notes
from bot.services.deps import Deps
from bot.services.entry.strangers import reader_locale
from bot.services.family import (
    call_answers,
    nudge_controls,
    relay_controls,
    relay_in,
    relay_replies,
)
from bot.services.outcome import Outcome, Sender
from bot.services.people import consent_flow, person_commands

ButtonHandler = Callable[[Deps, Store, Sender, list[Person], Any], Awaitable[Outcome]]

BUTTONS: dict[type, ButtonHandler] = {
    actions.CheckinAnswer: checkins.record_tap,
    actions.GuardianConsent: consent_flow.guardian_answer,
    actions.ChildAssent: consent_flow.child_answer,
    actions.ChooseLanguage: person_commands.choose_language,
    actions.AlertAction: answers.on_button,
    actions.AskForHelp: crisis_path.help_button,
    actions.RelayChoice: relay_in.choose_child,
    actions.QuickReply: relay_replies.quick_reply,
    actions.MuteRelay: relay_controls.choose_mute,
    actions.CallProposalAnswer: call_answers.on_proposal_answer,
    actions.CallHappened: call_answers.on_happened,
    actions.ShareHighlight: highlights.on_button,
    actions.NudgeAction: nudge_controls.on_button,
    actions.ListenVoice: voice_notes.listen,
}


async def press(
    deps: Deps, store: Store, sender: Sender, people: list[Person], data: str | None
) -> Outcome:
    """A tap. Every refusal (garbled, forged, stale, someone else's, a stranger's) reads the
    same, in the reader's language, so nobody learns whether forged data decoded."""
    action = actions.decode(data)
    handler = BUTTONS.get(type(action))
    if handler is None or not people:
        outcome = Outcome.refusal()
    else:
        outcome = await handler(deps, store, sender, people, action)
    if outcome.refused and outcome.toast is None:
        outcome.toast = deps.texts.label("button_unknown", reader_locale(sender, people))
    return outcome
