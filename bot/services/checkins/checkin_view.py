"""Turning a check-in's current step into a message with buttons, in the child's language."""

from __future__ import annotations

from bot.adapters.db.models import Checkin, Person
from bot.domain.actions import AskForHelp, CheckinAnswer, encode
from bot.domain.checkin_rules import SKIP, variant_of
from bot.domain.questionnaire import Questionnaire, Step
from bot.services.deps import Deps
from bot.services.outcome import Button, Keyboard, Message


def _buttons(deps: Deps, checkin_id: int, child_id: int, step: Step, locale: str) -> Keyboard:
    def button(label: str, value: int) -> Button:
        return Button(label, encode(CheckinAnswer(checkin_id, step.key, value)))

    options = [button(deps.texts.gettext(o.label, locale), o.value) for o in step.options]
    rows: list[tuple[Button, ...]]
    rows = [tuple(options)] if step.layout == "row" else [(b,) for b in options]
    if step.optional:
        rows.append((button(deps.texts.label("skip", locale), SKIP),))
    rows.append((Button(deps.texts.label("help", locale), encode(AskForHelp(child_id))),))
    return tuple(row for row in rows if row)


def questions(deps: Deps, kind: str) -> Questionnaire:
    """The form a check-in of this kind asks (the extra ones after a departure are light)."""
    return deps.questionnaire.variant(variant_of(kind))


def step_message(
    deps: Deps, checkin: Checkin, step_key: str, child: Person, reminder: bool = False
) -> Message:
    """The check-in at `step_key`, in the child's language, with a help button on every step."""
    nickname, locale = child.display_name, child.locale
    form = questions(deps, checkin.kind)
    step = form.step(step_key)
    position, total = form.position(step_key)
    text = deps.texts.render(
        "checkin_step",
        locale,
        nickname=nickname,
        prompt=deps.texts.gettext(step.prompt, locale),
        position=position,
        total=total,
        first=position == 1,
        reminder=reminder,
        free=step.kind == "free",
    )
    return Message(text, _buttons(deps, checkin.id, child.id, step, locale))


def done_message(deps: Deps, nickname: str, locale: str, kept_words: bool = False) -> Message:
    return Message(
        deps.texts.render("checkin_done", locale, nickname=nickname, kept_words=kept_words)
    )


def closed_message(deps: Deps, locale: str) -> Message:
    return Message(deps.texts.render("checkin_closed", locale))
