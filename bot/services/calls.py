"""Agreed weekly calls: a reminder before, "did it happen?" after, misses shown to volunteers.

A parent proposes a day and time on the child's clock (`/call sun 19:30`); the child, or a carer
at home, agrees or asks for another time. Once agreed, `ContactPlan.next_call_at` is the next
call. The tick reminds both shortly before it and opens a `CallRecord` (upcoming); after the call
the child is asked whether it happened (asked -> happened / missed), and a question left
unanswered closes as such. Every step changes a row and queues its messages in one transaction,
with outbox keys per plan and call, so a restart repeats nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_time, get_day_names

from bot.adapters.db.models import CallRecord, ContactPlan, Person
from bot.adapters.db.store import Store
from bot.domain.actions import CallHappened, CallProposalAnswer, encode
from bot.domain.call_rules import (
    CallStatus,
    call_day,
    child_reminder_at,
    decode_call_time,
    encode_call_time,
    is_blocked,
    parse_call_time,
)
from bot.domain.dialog_data import CallTiming
from bot.domain.outgoing import Outgoing
from bot.domain.people import LinkKind, nickname_key
from bot.domain.schedule import DAY_NAMES, WeeklySchedule, next_occurrence
from bot.services.access import CALL_ANSWER, OWN, act_for
from bot.services.checkins.scheduling import adult_good_hour, child_allowed
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.formatting import local_time
from bot.services.outcome import Button, Message, Outcome, Sender

BATCH = 500
GROUP = "calls"
OFF = "off"
# How far back /child and /mychildren look at calls: about a month of weekly calls.
RECENT_CALLS = timedelta(days=28)


@dataclass(frozen=True)
class _Pair:
    plan: ContactPlan
    parent: Person
    child: Person


def _label(deps: Deps, key: str, locale: str | None) -> str:
    return deps.texts.label(key, locale, group=GROUP)


def _reachable(person: Person | None) -> bool:
    return person is not None and person.telegram_id is not None and not person.unreachable_since


def _call_words(schedule: WeeklySchedule, locale: str) -> dict[str, str]:
    """The weekday and time of a call, in the reader's language (on the child's clock)."""
    return {
        "day": str(get_day_names("wide", locale=locale)[call_day(schedule)]),
        "time": format_time(schedule.at, "short", locale=locale),
    }


async def _may_call(store: Store, plan: ContactPlan, child: Person) -> bool:
    """A joined child whose consents stand, and a parent not paused for safeguarding."""
    if plan.relay_paused or child.telegram_id is None:
        return False
    return (await store.people.consent_state(child.id)).complete


async def _enqueue(
    deps: Deps,
    store: Store,
    person: Person,
    kind: str,
    message: Message,
    send_after: datetime,
    dedupe_key: str | None = None,
) -> int:
    if not _reachable(person):
        return 0
    item = Outgoing(
        person_id=person.id,
        chat_id=person.telegram_id or 0,
        kind=kind,
        send_after=send_after,
        message=message,
        dedupe_key=dedupe_key,
    )
    return int(await store.outbox.enqueue(item, deps.clock.now()))


# ---- a parent proposes, shows or stops a call ---------------------------------------------


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
            row["agreed"] = _call_words(schedule, reader.locale)
            row["next"] = local_time(deps, when, reader.timezone, reader.locale)
        if pair.plan.call_proposal:
            proposal = WeeklySchedule.parse(pair.plan.call_proposal)
            row["asked"] = _call_words(proposal, reader.locale)
        rows.append(row)
    return deps.texts.render("call_status", reader.locale, rows=rows)


async def _propose(deps: Deps, store: Store, pair: _Pair, day: str, at: str) -> Outcome:
    plan, parent, child = pair.plan, pair.parent, pair.child
    try:
        schedule = parse_call_time(day, at)
    except ValueError:
        raise UserError("call_usage") from None
    if plan.relay_paused:
        raise UserError("call_paused", child=child.display_name)
    if not await _may_call(store, plan, child):
        raise UserError("call_not_yet", child=child.display_name)
    if is_blocked(schedule, deps.settings.blocked_times):
        raise UserError("call_blocked", child=child.display_name)
    plan.call_proposal = schedule.format()
    now = deps.clock.now()
    code = encode_call_time(schedule)
    asked = []
    family = await store.people.family_of(child.id)
    carers = [adult for adult, kind in family if kind == LinkKind.CARER.value]
    answering = [(p, p is not child) for p in (child, *carers) if _reachable(p)]
    if not answering:  # blocked the bot: the volunteer has been told; nothing would arrive
        raise UserError("call_unreachable", child=child.display_name)
    for person, for_carer in answering:
        locale = person.locale
        buttons = (
            (
                Button(
                    _label(deps, "agree", locale),
                    encode(CallProposalAnswer(plan.id, code, True)),
                ),
                Button(
                    _label(deps, "another_time", locale),
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
            **_call_words(schedule, locale),
        )
        send_after = (
            adult_good_hour(deps, person, now) if for_carer else child_allowed(deps, person, now)
        )
        await _enqueue(deps, store, person, "call_proposal", Message(text, buttons), send_after)
        asked.append(person.display_name)
    first = next_occurrence(schedule, now, deps.tz_of(child.timezone))
    text = deps.texts.render(
        "call_proposed",
        parent.locale,
        child=child.display_name,
        asked=", ".join(asked),
        yours=local_time(deps, first, parent.timezone, parent.locale),
        **_call_words(schedule, parent.locale),
    )
    return Outcome.reply(text)


async def _stop(deps: Deps, store: Store, pair: _Pair) -> Outcome:
    plan, parent, child = pair.plan, pair.parent, pair.child
    agreed = plan.call_schedule
    plan.call_schedule = plan.next_call_at = plan.call_proposal = None
    await _cancel_upcoming(store, plan.id)
    if agreed:
        words = _call_words(WeeklySchedule.parse(agreed), child.locale)
        text = deps.texts.render(
            "call_stopped", child.locale, parent=parent.display_name, for_child=True, **words
        )
        now = deps.clock.now()
        await _enqueue(
            deps, store, child, "call_stopped", Message(text), child_allowed(deps, child, now)
        )
    text = deps.texts.render(
        "call_stopped", parent.locale, child=child.display_name, for_child=False, had=bool(agreed)
    )
    return Outcome.reply(text)


async def _cancel_upcoming(store: Store, plan_id: int) -> None:
    """A call reminded but not yet asked about is dropped when the parent stops or moves it."""
    upcoming = await store.family.upcoming_call(plan_id)
    if upcoming is not None:
        upcoming.status = CallStatus.CANCELLED.value


# ---- the child (or a carer) answers a proposal ---------------------------------------------


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
    still_open = await _may_call(store, plan, child) and await _take_proposal(
        store, plan, schedule
    )
    if not still_open:
        text = deps.texts.render("call_answered", locale, outcome="gone")
        return Outcome(edit=Message(text), toast=_label(deps, "proposal_gone", locale))
    now = deps.clock.now()
    if action.agree:
        await _cancel_upcoming(store, plan.id)
        plan.call_schedule = schedule.format()
        plan.next_call_at = next_occurrence(schedule, now, deps.tz_of(child.timezone))
    parent_text = deps.texts.render(
        "call_agreed" if action.agree else "call_declined",
        parent.locale,
        child=child.display_name,
        who=answering.display_name,
        yours=local_time(deps, plan.next_call_at, parent.timezone, parent.locale)
        if action.agree and plan.next_call_at
        else None,
        kept=_call_words(WeeklySchedule.parse(plan.call_schedule), parent.locale)
        if not action.agree and plan.call_schedule
        else None,
        **_call_words(schedule, parent.locale),
    )
    kind = "call_agreed" if action.agree else "call_declined"
    await _enqueue(
        deps, store, parent, kind, Message(parent_text), adult_good_hour(deps, parent, now)
    )
    text = deps.texts.render(
        "call_answered",
        locale,
        outcome="agreed" if action.agree else "declined",
        parent=parent.display_name,
        **_call_words(schedule, locale),
    )
    toast = _label(deps, "agreed_toast" if action.agree else "declined_toast", locale)
    return Outcome(edit=Message(text), toast=toast)


async def _take_proposal(store: Store, plan: ContactPlan, schedule: WeeklySchedule) -> bool:
    """Clear the open proposal if it is the one answered; False if it changed or was taken.

    A conditional update, so a child and a grandparent tapping at once decide only once.
    """
    if not await store.family.take_call_proposal(plan.id, schedule.format()):
        return False
    plan.call_proposal = None
    return True


# ---- the tick: reminders, the question after, closing unanswered ones ----------------------


async def collect_calls(deps: Deps) -> int:
    """Queue what is due now; returns how many messages were queued."""
    timing = deps.dialogs.call_timing
    queued = await _remind(deps, timing)
    queued += await _ask(deps, timing)
    await _close_unanswered(deps, timing)
    return queued


async def _remind(deps: Deps, timing: CallTiming) -> int:
    """For each call starting within the reminder lead: remind both, open its record, and move
    the plan on to the following week's call."""
    now = deps.clock.now()
    queued = 0
    while True:
        async with deps.stores.begin() as store:
            rows = await store.family.calls_to_remind(now + timing.reminder_before, BATCH)
            for plan, parent, child in rows:
                call_at = plan.next_call_at
                assert call_at is not None
                if not plan.call_schedule:
                    plan.next_call_at = None
                    continue
                tz = deps.tz_of(child.timezone)
                schedule = WeeklySchedule.parse(plan.call_schedule)
                plan.next_call_at = next_occurrence(schedule, call_at, tz)
                too_late = now > call_at + timing.ask_after + timing.answer_within
                if too_late or not await _may_call(store, plan, child):
                    continue  # the bot was down all along, or the call is off for now
                if not await _open_record(store, plan, call_at):
                    continue
                if now < call_at:
                    queued += await _send_reminders(deps, store, plan, parent, child, call_at)
        if len(rows) < BATCH:
            return queued


async def _open_record(store: Store, plan: ContactPlan, call_at: datetime) -> bool:
    """The call's record, as upcoming; False if this occurrence was already handled."""
    existing = await store.family.call_at(plan.id, call_at)
    if existing is None:
        store.add(
            CallRecord(
                plan_id=plan.id,
                child_id=plan.child_id,
                scheduled_at=call_at,
                status=CallStatus.UPCOMING.value,
            )
        )
        return True
    if existing.status != CallStatus.CANCELLED.value:
        return False
    existing.status = CallStatus.UPCOMING.value  # stopped, then agreed again for the same time
    return True


async def _send_reminders(
    deps: Deps,
    store: Store,
    plan: ContactPlan,
    parent: Person,
    child: Person,
    call_at: datetime,
) -> int:
    """The parent's reminder goes now, whatever their working hours (they agreed the time);
    the child's waits for the end of school or the night, and is dropped if that is too late."""
    timing = deps.dialogs.call_timing
    key = f"call_reminder:{plan.id}:{call_at:%Y%m%d%H%M}"
    now = deps.clock.now()
    parent_text = deps.texts.render(
        "call_reminder",
        parent.locale,
        for_child=False,
        child=child.display_name,
        yours=local_time(deps, call_at, parent.timezone, parent.locale),
        theirs=format_time(
            call_at, "short", tzinfo=deps.tz_of(child.timezone), locale=parent.locale
        ),
    )
    queued = await _enqueue(
        deps, store, parent, "call_reminder", Message(parent_text), now, f"{key}:p"
    )
    tz = deps.tz_of(child.timezone)
    when = child_reminder_at(call_at, timing.reminder_before, tz, deps.settings.blocked_times)
    if when is not None:
        child_text = deps.texts.render(
            "call_reminder",
            child.locale,
            for_child=True,
            parent=parent.display_name,
            time=format_time(call_at, "short", tzinfo=tz, locale=child.locale),
        )
        queued += await _enqueue(
            deps, store, child, "call_reminder", Message(child_text), max(now, when), f"{key}:c"
        )
    return queued


async def _ask(deps: Deps, timing: CallTiming) -> int:
    """After the call, ask the child whether it happened (at an allowed moment)."""
    now = deps.clock.now()
    queued = 0
    while True:
        async with deps.stores.begin() as store:
            records = await store.family.calls_to_ask(now - timing.ask_after, BATCH)
            for record in records:
                record.status = CallStatus.ASKED.value
                plan = await store.get(ContactPlan, record.plan_id)
                child = await store.get(Person, record.child_id)
                parent = await store.get(Person, plan.parent_id) if plan else None
                if plan is None or child is None or parent is None:
                    continue
                if not _reachable(child) or not await _may_call(store, plan, child):
                    record.status = CallStatus.UNANSWERED.value
                    continue
                queued += await _enqueue(
                    deps,
                    store,
                    child,
                    "call_asked",
                    ask_message(deps, record, parent, child),
                    child_allowed(deps, child, now),
                    f"call_asked:{record.id}",
                )
        if len(records) < BATCH:
            return queued


def ask_message(deps: Deps, record: CallRecord, parent: Person, child: Person) -> Message:
    locale = child.locale
    text = deps.texts.render(
        "call_asked",
        locale,
        parent=parent.display_name,
        when=local_time(deps, record.scheduled_at, child.timezone, locale),
    )
    buttons = (
        (
            Button(_label(deps, "talked_yes", locale), encode(CallHappened(record.id, True))),
            Button(_label(deps, "talked_no", locale), encode(CallHappened(record.id, False))),
        ),
    )
    return Message(text, buttons)


async def _close_unanswered(deps: Deps, timing: CallTiming) -> None:
    """A question the child left for the answer time closes as "no answer"."""
    before = deps.clock.now() - timing.ask_after - timing.answer_within
    while True:
        async with deps.stores.begin() as store:
            records = await store.family.calls_unanswered(before, BATCH)
            for record in records:
                record.status = CallStatus.UNANSWERED.value
        if len(records) < BATCH:
            return


# ---- the child says whether the call happened ----------------------------------------------


async def on_happened(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: CallHappened
) -> Outcome:
    record = await store.get(CallRecord, action.call_id)
    access = await act_for(store, people, record.child_id, OWN) if record else None
    if record is None or access is None:
        return Outcome.refusal()
    child = access.person
    locale = child.locale
    status = CallStatus.HAPPENED if action.happened else CallStatus.MISSED
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
    return Outcome(edit=Message(text), toast=_label(deps, "answered_toast", locale))


# ---- what a volunteer sees -----------------------------------------------------------------


async def call_summaries(
    deps: Deps, store: Store, child_ids: Sequence[int]
) -> dict[int, dict[str, int] | None]:
    """How each child's agreed calls of the last four weeks went (None: there were none), for
    a whole caseload in one query."""
    since = deps.clock.now() - RECENT_CALLS
    outcomes = (CallStatus.HAPPENED.value, CallStatus.MISSED.value, CallStatus.UNANSWERED.value)
    counts = {child_id: dict.fromkeys(outcomes, 0) for child_id in child_ids}
    for record in await store.family.recent_calls(child_ids, since):
        if record.status in outcomes:  # "asked" ones still wait for the child's answer
            counts[record.child_id][record.status] += 1
    return {
        child_id: summary if any(summary.values()) else None
        for child_id, summary in counts.items()
    }
