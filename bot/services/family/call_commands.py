"""A parent's `/call`: propose a weekly call time, show the agreed one, or stop it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.adapters.db.models import ContactPlan, Person
from bot.adapters.db.store import Store
from bot.domain.actions import CallProposalAnswer, encode
from bot.domain.call_planning import proposal_refusal
from bot.domain.call_rules import encode_call_time, parse_call_time
from bot.domain.people import LinkKind, nickname_key
from bot.domain.schedule import DAY_NAMES, WeeklySchedule, next_occurrence
from bot.services.checkins.scheduling import adult_good_hour, child_allowed
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.family.call_basics import (
    call_words,
    cancel_upcoming,
    enqueue,
    label,
    pair_may_call,
    reachable,
)
from bot.services.formatting import local_time
from bot.services.outcome import Button, Message, Outcome, Sender

OFF = "off"


@dataclass(frozen=True)
class _Pair:
    plan: ContactPlan
    parent: Person
    child: Person


async def call_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/call [NICK] DAY HH:MM` proposes; `/call [NICK]` shows; `/call [NICK] off` stops."""
    pairs = [
        _Pair(plan, parent, child)
        for parent in people
        for plan, child in await store.family.plans_of_parent(parent.id)
    ]
    if not pairs:
        raise UserError("call_no_children")
    reader = people[0]
    rest = list(args)
    chosen = None
    if rest:
        wanted = nickname_key(rest[0])
        chosen = next((p for p in pairs if nickname_key(p.child.display_name) == wanted), None)
        if chosen is not None:
            rest = rest[1:]
        elif len(rest) == 1 and rest[0].casefold() not in (OFF, *DAY_NAMES):
            raise UserError("child_not_found", nickname=rest[0])
    if chosen is None:
        if not rest:
            return Outcome.reply(_status_text(deps, reader, pairs))
        if len(pairs) > 1:
            names = ", ".join(p.child.display_name for p in pairs)
            raise UserError("call_which_child", children=names, first=pairs[0].child.display_name)
        chosen = pairs[0]
    if not rest:
        return Outcome.reply(_status_text(deps, reader, [chosen]))
    if len(rest) == 1 and rest[0].casefold() == OFF:
        return await _stop(deps, store, chosen)
    if len(rest) != 2:
        raise UserError("call_usage")
    return await _propose(deps, store, chosen, rest[0], rest[1])


def _status_text(deps: Deps, reader: Person, pairs: list[_Pair]) -> str:
    rows = []
    now = deps.clock.now()
    for pair in pairs:
        row: dict[str, object] = {"child": pair.child.display_name, "agreed": None, "asked": None}
        if pair.plan.call_schedule:
            schedule = WeeklySchedule.parse(pair.plan.call_schedule)
            when = next_occurrence(schedule, now, deps.tz_of(pair.child.timezone))
            row["agreed"] = call_words(schedule, reader.locale)
            row["next"] = local_time(deps, when, reader.timezone, reader.locale)
        if pair.plan.call_proposal:
            proposal = WeeklySchedule.parse(pair.plan.call_proposal)
            row["asked"] = call_words(proposal, reader.locale)
        rows.append(row)
    return deps.texts.render("call_status", reader.locale, rows=rows)


async def _propose(deps: Deps, store: Store, pair: _Pair, day: str, at: str) -> Outcome:
    plan, parent, child = pair.plan, pair.parent, pair.child
    try:
        schedule = parse_call_time(day, at)
    except ValueError:
        raise UserError("call_usage") from None
    callable_now = await pair_may_call(store, plan, child)
    refusal = proposal_refusal(
        schedule, plan.relay_paused, callable_now, deps.settings.blocked_times
    )
    if refusal is not None:
        raise UserError(refusal, child=child.display_name)
    plan.call_proposal = schedule.format()
    now = deps.clock.now()
    code = encode_call_time(schedule)
    asked = []
    family = await store.people.family_of(child.id)
    carers = [adult for adult, kind in family if kind == LinkKind.CARER.value]
    answering = [(p, p is not child) for p in (child, *carers) if reachable(p)]
    if not answering:  # blocked the bot: the volunteer has been told; nothing would arrive
        raise UserError("call_unreachable", child=child.display_name)
    for person, for_carer in answering:
        locale = person.locale
        buttons = (
            (
                Button(
                    label(deps, "agree", locale),
                    encode(CallProposalAnswer(plan.id, code, True)),
                ),
                Button(
                    label(deps, "another_time", locale),
                    encode(CallProposalAnswer(plan.id, code, False)),
                ),
            ),
        )
        text = deps.texts.render(
            "call_proposal",
            locale,
            parent=parent.display_name,
            child=child.display_name,
            for_carer=for_carer,
            **call_words(schedule, locale),
        )
        send_after = (
            adult_good_hour(deps, person, now) if for_carer else child_allowed(deps, person, now)
        )
        await enqueue(deps, store, person, "call_proposal", Message(text, buttons), send_after)
        asked.append(person.display_name)
    first = next_occurrence(schedule, now, deps.tz_of(child.timezone))
    text = deps.texts.render(
        "call_proposed",
        parent.locale,
        child=child.display_name,
        asked=", ".join(asked),
        yours=local_time(deps, first, parent.timezone, parent.locale),
        **call_words(schedule, parent.locale),
    )
    return Outcome.reply(text)


async def _stop(deps: Deps, store: Store, pair: _Pair) -> Outcome:
    plan, parent, child = pair.plan, pair.parent, pair.child
    agreed = plan.call_schedule
    plan.call_schedule = plan.next_call_at = plan.call_proposal = None
    await cancel_upcoming(store, plan.id)
    if agreed:
        words = call_words(WeeklySchedule.parse(agreed), child.locale)
        text = deps.texts.render(
            "call_stopped", child.locale, parent=parent.display_name, for_child=True, **words
        )
        now = deps.clock.now()
        await enqueue(
            deps, store, child, "call_stopped", Message(text), child_allowed(deps, child, now)
        )
    text = deps.texts.render(
        "call_stopped", parent.locale, child=child.display_name, for_child=False, had=bool(agreed)
    )
    return Outcome.reply(text)
