"""The child's taps about a call: the answer to a proposed time (the child, or a carer at home
for them), and afterwards whether it happened."""

from __future__ import annotations

from bot.adapters.db.models import CallRecord, ContactPlan, Person
from bot.adapters.db.store import Store
from bot.domain.actions import CallHappened, CallProposalAnswer
from bot.domain.call_planning import answer_effect, happened_status
from bot.domain.call_rules import decode_call_time
from bot.domain.schedule import WeeklySchedule
from bot.services.access import CALL_ANSWER, OWN, act_for
from bot.services.checkins.scheduling import adult_good_hour
from bot.services.deps import Deps
from bot.services.family.call_basics import (
    call_words,
    cancel_upcoming,
    enqueue,
    label,
    pair_may_call,
)
from bot.services.formatting import local_time
from bot.services.outcome import Message, Outcome, Sender


async def on_proposal_answer(
    deps: Deps,
    store: Store,
    sender: Sender,
    people: list[Person],
    action: CallProposalAnswer,
) -> Outcome:
    """The child, or a carer at home, answers for them."""
    plan = await store.get(ContactPlan, action.plan_id)
    access = await act_for(store, people, plan.child_id, CALL_ANSWER) if plan else None
    schedule = decode_call_time(action.call_time)
    if plan is None or access is None or schedule is None:
        return Outcome.refusal()
    answering = access.person
    locale = answering.locale
    child = await store.get(Person, plan.child_id)
    parent = await store.get(Person, plan.parent_id)
    assert child is not None and parent is not None
    still_open = await pair_may_call(store, plan, child) and await _take_proposal(
        store, plan, schedule
    )
    if not still_open:
        text = deps.texts.render("call_answered", locale, outcome="gone")
        return Outcome(edit=Message(text), toast=label(deps, "proposal_gone", locale))
    now = deps.clock.now()
    effect = answer_effect(
        action.agree,
        schedule,
        plan.call_schedule,
        plan.next_call_at,
        now,
        deps.tz_of(child.timezone),
    )
    if effect.cancel_upcoming:
        await cancel_upcoming(store, plan.id)
    plan.call_schedule, plan.next_call_at = effect.call_schedule, effect.next_call_at
    kind = "call_agreed" if action.agree else "call_declined"
    parent_text = deps.texts.render(
        kind,
        parent.locale,
        child=child.display_name,
        who=answering.display_name,
        yours=local_time(deps, plan.next_call_at, parent.timezone, parent.locale)
        if action.agree and plan.next_call_at
        else None,
        kept=call_words(effect.kept, parent.locale) if effect.kept else None,
        **call_words(schedule, parent.locale),
    )
    await enqueue(
        deps, store, parent, kind, Message(parent_text), adult_good_hour(deps, parent, now)
    )
    text = deps.texts.render(
        "call_answered",
        locale,
        outcome="agreed" if action.agree else "declined",
        parent=parent.display_name,
        **call_words(schedule, locale),
    )
    toast = label(deps, "agreed_toast" if action.agree else "declined_toast", locale)
    return Outcome(edit=Message(text), toast=toast)


async def _take_proposal(store: Store, plan: ContactPlan, schedule: WeeklySchedule) -> bool:
    """Clear the open proposal if it is the one answered; False if it changed or was taken.

    A conditional update, so a child and a grandparent tapping at once decide only once.
    """
    if not await store.family.take_call_proposal(plan.id, schedule.format()):
        return False
    plan.call_proposal = None
    return True


async def on_happened(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: CallHappened
) -> Outcome:
    """The child says whether the call happened; a second tap only shows what was noted."""
    record = await store.get(CallRecord, action.call_id)
    access = await act_for(store, people, record.child_id, OWN) if record else None
    if record is None or access is None:
        return Outcome.refusal()
    child = access.person
    locale = child.locale
    status = happened_status(action.happened)
    if not await store.family.answer_call(record.id, status, deps.clock.now()):
        await store.refresh(record)
        text = deps.texts.render("call_thanks", locale, status=record.status, parent=None)
        return Outcome(edit=Message(text), toast=deps.texts.label("already_noted", locale))
    plan = await store.get(ContactPlan, record.plan_id)
    parent = await store.get(Person, plan.parent_id) if plan else None
    text = deps.texts.render(
        "call_thanks",
        locale,
        status=status.value,
        parent=parent.display_name if parent else None,
    )
    return Outcome(edit=Message(text), toast=label(deps, "answered_toast", locale))
