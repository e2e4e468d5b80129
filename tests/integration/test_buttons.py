"""Every button refused the same way, from one place, on SQLite and PostgreSQL.

For each declared action, data that decodes but names nothing of the presser's (ids that do
not exist, or belong to someone else) gets the one "button_unknown" toast in the presser's
language, changes no screen and sends nothing.
"""

from __future__ import annotations

import dataclasses

from bot.domain import actions, buttons
from bot.services.entry import router
from bot.services.outcome import Outcome
from tests.helpers import COORDINATOR_TG, VOLUNTEER_TG, program_with_volunteer, sender
from tests.unit.test_button_actions import PINNED

CHILD_TG, PARENT_TG = 1001, 2001
SAMPLES = {type(action): action for action, _ in PINNED}


def _forged(layout: buttons.Layout, some_id: int) -> object:
    """The action with every id replaced (and a language nobody reads)."""
    ids = {
        name: some_id
        for name, part in zip(layout.names, layout.parts, strict=True)
        if isinstance(part, buttons.Int)
    }
    if layout.kind is actions.ChooseLanguage:
        return actions.ChooseLanguage("xx")
    return dataclasses.replace(SAMPLES[layout.kind], **ids)


def _refused_plainly(outcome: Outcome, toast: str) -> bool:
    return outcome.toast == toast and outcome.edit is None and not outcome.replies


async def test_each_action_with_ids_that_are_nobodys_gets_the_one_refusal(core):
    await program_with_volunteer(core)
    for tg, language, locale in (
        (CHILD_TG, "zh-hans", "zh_CN"),
        (PARENT_TG, "zh-hans", "zh_CN"),
        (VOLUNTEER_TG, "en", "en"),
        (COORDINATOR_TG, "en", "en"),
    ):
        toast = core.deps.texts.label("button_unknown", locale)
        for layout in buttons.declared():
            data = actions.encode(_forged(layout, 99999))
            outcome = await router.handle_button(core.deps, sender(tg, language), data)
            assert _refused_plainly(outcome, toast), (tg, data)
            assert not outcome.outbox_changed, (tg, data)


async def test_a_real_childs_id_on_buttons_only_they_may_press_is_refused_to_everyone_else(core):
    child_id = await program_with_volunteer(core)
    own = [
        actions.AskForHelp(child_id),
        actions.ChildAssent(child_id, True),
        actions.MuteRelay(child_id, 1),
        actions.ShareHighlight(child_id, ""),
    ]
    for tg in (PARENT_TG, VOLUNTEER_TG, COORDINATOR_TG):
        me = sender(tg, "en")
        for action in own:
            outcome = await router.handle_button(core.deps, me, actions.encode(action))
            assert outcome.refused and outcome.toast, (tg, action)
    guardians_only = await router.handle_button(
        core.deps, sender(CHILD_TG), actions.encode(actions.GuardianConsent(child_id, False))
    )
    assert guardians_only.refused


async def test_a_stranger_reads_the_refusal_in_telegrams_language(core):
    for data in ("c:1:mood:3", "lv:1", "garbage", None):
        outcome = await router.handle_button(core.deps, sender(9999, "en"), data)
        assert _refused_plainly(outcome, core.deps.texts.label("button_unknown", "en"))
