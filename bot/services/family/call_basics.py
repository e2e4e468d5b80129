"""The small steps every call use case shares: its words, who can be reached, whether a pair
may call, queueing a message and dropping a call already reminded.

Agreed weekly calls, in short: a parent proposes a day and time on the child's clock
(`/call sun 19:30`, call_commands); the child, or a carer at home, agrees or asks for another
time (call_answers). Once agreed, `ContactPlan.next_call_at` is the next call. The tick
(call_tick) reminds both shortly before it and opens a `CallRecord` (upcoming); after the call
the child is asked whether it happened (asked -> happened / missed), and a question left
unanswered closes as such. Every step changes a row and queues its messages in one transaction,
with outbox keys per plan and call, so a restart repeats nothing.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_time, get_day_names

from bot.adapters.db.models import ContactPlan, Person
from bot.adapters.db.store import Store
from bot.domain.call_planning import may_call
from bot.domain.call_rules import CallStatus, call_day
from bot.domain.outgoing import Outgoing
from bot.domain.schedule import WeeklySchedule
from bot.services.deps import Deps
from bot.services.outcome import Message

GROUP = "calls"


def label(deps: Deps, key: str, locale: str | None) -> str:
    return deps.texts.label(key, locale, group=GROUP)


def reachable(person: Person | None) -> bool:
    return person is not None and person.telegram_id is not None and not person.unreachable_since


def call_words(schedule: WeeklySchedule, locale: str) -> dict[str, str]:
    """The weekday and time of a call, in the reader's language (on the child's clock)."""
    return {
        "day": str(get_day_names("wide", locale=locale)[call_day(schedule)]),
        "time": format_time(schedule.at, "short", locale=locale),
    }


async def pair_may_call(store: Store, plan: ContactPlan, child: Person) -> bool:
    """`may_call` for stored rows (the child's consents read from the store)."""
    consents = await store.people.consent_state(child.id)
    return may_call(plan.relay_paused, child.telegram_id is not None, consents.complete)


async def enqueue(
    deps: Deps,
    store: Store,
    person: Person,
    kind: str,
    message: Message,
    send_after: datetime,
    dedupe_key: str | None = None,
) -> int:
    """Queue one message for a reachable person; how many were queued (0 or 1)."""
    if not reachable(person):
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


async def cancel_upcoming(store: Store, plan_id: int) -> None:
    """A call reminded but not yet asked about is dropped when the parent stops or moves it."""
    upcoming = await store.family.upcoming_call(plan_id)
    if upcoming is not None:
        upcoming.status = CallStatus.CANCELLED.value
