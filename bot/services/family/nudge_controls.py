"""A parent stopping or resuming contact nudges: `/reminders` and the nudge's own buttons.

Stopping is for every child of the parent at once (one tap under a nudge, or the command);
resuming starts afresh, with nothing counted as ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.adapters.db.models import ContactPlan, Person
from bot.adapters.db.store import Store
from bot.domain.actions import NudgeAction
from bot.domain.contact import next_nudge_after_contact
from bot.services.access import FAR_PARENT, act_for
from bot.services.checkins.scheduling import adult_good_hour
from bot.services.deps import Deps
from bot.services.family.nudges import GROUP
from bot.services.outcome import Message, Outcome, Sender


async def set_reminders(
    store: Store, parent_ids: Iterable[int], on: bool, now: datetime
) -> Sequence[ContactPlan]:
    """Stop or resume nudges for every plan of these parents; returns the plans.

    Resuming starts afresh: nothing counts as ignored and the first nudge is a cadence away.
    """
    plans = await store.nudges.plans_of(parent_ids)
    for plan in plans:
        if not on:
            plan.nudges_stopped, plan.next_nudge_at = True, None
        elif plan.nudges_stopped or plan.next_nudge_at is None:
            plan.nudges_stopped, plan.nudges_ignored = False, 0
            plan.next_nudge_at = next_nudge_after_contact(now, plan.cadence_days)
    return plans


def next_reminder(deps: Deps, parent: Person, plans: Sequence[ContactPlan]) -> datetime | None:
    """Roughly when the next nudge would come, on the parent's good hour."""
    times = [p.next_nudge_at for p in plans if p.next_nudge_at and not p.nudges_stopped]
    return adult_good_hour(deps, parent, min(times)) if times else None


async def on_button(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: NudgeAction
) -> Outcome:
    """The nudge's buttons; the plan is checked against the parent who pressed."""
    plan = await store.get(ContactPlan, action.plan_id)
    own = [p for p in people if plan and p.id == plan.parent_id]
    access = await act_for(store, own, plan.child_id, FAR_PARENT) if plan else None
    if plan is None or access is None:
        return Outcome.refusal()
    parent = access.person
    locale = parent.locale
    if action.verb == "w":
        child = await store.get(Person, plan.child_id)
        name = child.display_name if child else ""
        return Outcome.reply(deps.texts.render("nudge_write_hint", locale, child=name))
    await set_reminders(store, [parent.id], False, deps.clock.now())
    return Outcome(
        replies=[
            Message(
                deps.texts.render(
                    "parent_settings_reminders",
                    locale,
                    state="off",
                    changed=True,
                    days=0,
                    next=None,
                )
            )
        ],
        toast=deps.texts.label("stopped", locale, group=GROUP),
    )
