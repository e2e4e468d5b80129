"""The tick's part in agreed calls: reminders before, the question after, closing unanswered
questions. Each batch is one transaction; outbox keys per plan and call repeat nothing."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_time

from bot.adapters.db.models import CallRecord, ContactPlan, Person
from bot.adapters.db.store import Store
from bot.domain.actions import CallHappened, encode
from bot.domain.call_planning import DueStep, ask_status, due_plan, reopens, windows
from bot.domain.call_rules import CallStatus, child_reminder_at
from bot.domain.dialog_data import CallTiming
from bot.services.checkins.scheduling import child_allowed
from bot.services.deps import Deps
from bot.services.family.call_basics import enqueue, label, pair_may_call, reachable
from bot.services.formatting import local_time
from bot.services.outcome import Button, Message

BATCH = 500


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
            rows = await store.family.calls_to_remind(windows(now, timing).remind_until, BATCH)
            for plan, parent, child in rows:
                call_at = plan.next_call_at
                assert call_at is not None
                tz = deps.tz_of(child.timezone)
                due = due_plan(call_at, plan.call_schedule, now, tz, timing)
                plan.next_call_at = due.next_call_at
                if due.step in (DueStep.STOPPED, DueStep.TOO_LATE):
                    continue
                if not await pair_may_call(store, plan, child):
                    continue  # the call is off for now
                if not await _open_record(store, plan, call_at):
                    continue
                if due.step == DueStep.REMIND:
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
    if not reopens(CallStatus(existing.status)):
        return False
    existing.status = CallStatus.UPCOMING.value
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
    queued = await enqueue(
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
        queued += await enqueue(
            deps, store, child, "call_reminder", Message(child_text), max(now, when), f"{key}:c"
        )
    return queued


async def _ask(deps: Deps, timing: CallTiming) -> int:
    """After the call, ask the child whether it happened (at an allowed moment)."""
    now = deps.clock.now()
    queued = 0
    while True:
        async with deps.stores.begin() as store:
            records = await store.family.calls_to_ask(windows(now, timing).ask_by, BATCH)
            for record in records:
                record.status = CallStatus.ASKED.value
                plan = await store.get(ContactPlan, record.plan_id)
                child = await store.get(Person, record.child_id)
                parent = await store.get(Person, plan.parent_id) if plan else None
                if plan is None or child is None or parent is None:
                    continue
                callable_now = reachable(child) and await pair_may_call(store, plan, child)
                record.status = ask_status(reachable(child), callable_now).value
                if record.status != CallStatus.ASKED.value:
                    continue
                queued += await enqueue(
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
    """The question after a call, with its two answers."""
    locale = child.locale
    text = deps.texts.render(
        "call_asked",
        locale,
        parent=parent.display_name,
        when=local_time(deps, record.scheduled_at, child.timezone, locale),
    )
    buttons = (
        (
            Button(label(deps, "talked_yes", locale), encode(CallHappened(record.id, True))),
            Button(label(deps, "talked_no", locale), encode(CallHappened(record.id, False))),
        ),
    )
    return Message(text, buttons)


async def _close_unanswered(deps: Deps, timing: CallTiming) -> None:
    """A question the child left for the answer time closes as "no answer"."""
    before = windows(deps.clock.now(), timing).close_by
    while True:
        async with deps.stores.begin() as store:
            records = await store.family.calls_unanswered(before, BATCH)
            for record in records:
                record.status = CallStatus.UNANSWERED.value
        if len(records) < BATCH:
            return
