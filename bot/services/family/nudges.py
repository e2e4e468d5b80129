"""Contact nudges: a parent who has been silent for the cadence gets a gentle reminder.

A nudge carries a conversation starter tied to what the program knows of the child's days (a
school week, check-ins answered, a recent departure), never to what the child said. Ignored
nudges back off (`bot.domain.contact.nudge_interval`); a parent can stop them
(`nudge_controls`). Whenever a parent sends the child anything, the relay calls
`note_parent_contact` and the clock starts again.

A nudge is decided only at the parent's good hour, not queued ahead for it: a parent who writes
in the meantime (say during the night shift the nudge was waiting out) is then not nudged.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.adapters.db.models import ChildProfile, ContactPlan, Person
from bot.adapters.db.store import Store
from bot.domain.actions import NudgeAction, encode
from bot.domain.contact import (
    AFTER_DEPARTURE,
    ChildFacts,
    day_kind,
    next_nudge_after_contact,
    next_nudge_after_sent,
    pick_starter,
    starter_pool,
    starter_topics,
)
from bot.domain.outgoing import Outgoing
from bot.services.checkins.scheduling import adult_good_hour
from bot.services.deps import Deps
from bot.services.outcome import Button, Message

log = logging.getLogger(__name__)
BATCH = 500
WEEK = timedelta(days=7)
GROUP = "nudges"


async def collect_nudges(deps: Deps) -> int:
    """Queue what is due now; returns how many messages were queued."""
    now = deps.clock.now()
    queued = 0
    while True:
        async with deps.stores.begin() as store:
            rows = await store.nudges.plans_due(now, BATCH)
            for plan, parent, child, profile in rows:
                queued += await _nudge_due(deps, store, plan, parent, child, profile, now)
        if len(rows) < BATCH:
            return queued


async def _nudge_due(
    deps: Deps,
    store: Store,
    plan: ContactPlan,
    parent: Person,
    child: Person,
    profile: ChildProfile,
    now: datetime,
) -> int:
    """Nudge one silent parent, or move the plan's next look to when it may be done."""
    if plan.nudges_stopped:
        plan.next_nudge_at = None
        return 0
    if await blocked(store, plan, parent, child):
        # Paused, consent withdrawn, someone unreachable or not joined: look again a cadence on,
        # silently, so nudging resumes by itself once the obstacle is gone.
        plan.next_nudge_at = now + timedelta(days=max(1, plan.cadence_days))
        return 0
    wait_until = not_before(deps, parent, profile, now)
    if wait_until > now:
        plan.next_nudge_at = wait_until
        return 0
    sent = await send_nudge(deps, store, plan, parent, child, now)
    if sent:
        plan.nudges_ignored += 1  # counts as ignored until the parent gets in touch
        log.info(
            "nudge: plan %s, parent %s, %s unanswered", plan.id, parent.id, plan.nudges_ignored
        )
    # Not sent: a departure nudge already went today and stands in for this one.
    plan.next_nudge_at = next_nudge_after_sent(now, plan.cadence_days, plan.nudges_ignored)
    return int(sent)


def reachable(person: Person) -> bool:
    return person.telegram_id is not None and person.unreachable_since is None


async def blocked(store: Store, plan: ContactPlan, parent: Person, child: Person) -> bool:
    """Whether no nudge may go for this pair at all for now (not just not at this hour)."""
    if plan.relay_paused or not reachable(parent) or not reachable(child):
        return True
    return not (await store.people.consent_state(child.id)).complete


def not_before(deps: Deps, parent: Person, profile: ChildProfile, now: datetime) -> datetime:
    """The first moment a nudge may go: the parent's good hour, and not while the child has
    muted parents' messages (they would only wait; the parent is never told why)."""
    start = max(now, profile.relay_muted_until or now)
    return adult_good_hour(deps, parent, start)


async def send_nudge(
    deps: Deps,
    store: Store,
    plan: ContactPlan,
    parent: Person,
    child: Person,
    now: datetime,
    departure: bool = False,
) -> bool:
    """Queue a nudge now (at most one per plan and parent's day); False if one went today."""
    facts = await child_facts(deps, store, child, now)
    topics = [AFTER_DEPARTURE] if departure else starter_topics(facts)
    pool = starter_pool(topics, {t: [k for k, _ in s] for t, s in deps.dialogs.starters.items()})
    day = now.astimezone(deps.tz_of(parent.timezone)).date()
    key = pick_starter(pool, plan.last_starter, seed=plan.id + day.toordinal())
    nudge = Outgoing(
        person_id=parent.id,
        chat_id=parent.telegram_id or 0,
        kind="nudge",
        send_after=now,
        message=nudge_message(deps, plan, parent, child, key, facts, AFTER_DEPARTURE in topics),
        dedupe_key=f"nudge:{plan.id}:{day.isoformat()}",
    )
    queued = await store.outbox.enqueue(nudge, now)
    if queued:
        plan.last_starter = key
    return queued


async def child_facts(deps: Deps, store: Store, child: Person, at: datetime) -> ChildFacts:
    """What the program knows of the child's last days: counts and dates, never words."""
    today = at.astimezone(deps.tz_of(child.timezone)).date()
    departed = await store.nudges.latest_departure(child.id, today)
    return ChildFacts(
        checkins_answered=await store.nudges.checkins_completed_since(child.id, at - WEEK),
        day=day_kind(today, deps.dialogs.holidays),
        days_since_departure=(today - departed).days if departed else None,
        activities_done=await activities_done(store, child.id, at - WEEK),
    )


async def activities_done(store: Store, child_id: int, since: datetime) -> int:
    """Hook for peer activities: how many the child took part in since then.

    Peer activities do not exist yet, so this is 0. When they do, count them here: the
    "activities" starters in dialogs/nudges.yaml then start to be chosen.
    """
    return 0


def nudge_message(
    deps: Deps,
    plan: ContactPlan,
    parent: Person,
    child: Person,
    starter_key: str | None,
    facts: ChildFacts,
    departure: bool,
) -> Message:
    locale = parent.locale
    values = {"child": child.display_name, "count": facts.checkins_answered}
    starter = ""
    if starter_key is not None:
        starter = deps.texts.gettext(deps.dialogs.starter_text(starter_key), locale) % values
    text = deps.texts.render(
        "nudge_message", locale, child=child.display_name, starter=starter, departure=departure
    )
    write = deps.texts.label("write_to", locale, group=GROUP) % values
    stop = deps.texts.label("stop", locale, group=GROUP)
    return Message(
        text,
        (
            (Button(write, encode(NudgeAction(plan.id, "w"))),),
            (Button(stop, encode(NudgeAction(plan.id, "s"))),),
        ),
    )


async def note_parent_contact(
    store: Store, parent_id: int, child_id: int | None, now: datetime
) -> None:
    """A parent got in touch (with one child, or with all when `child_id` is None): nothing
    counts as ignored any more, and the next nudge is a whole cadence away."""
    for plan in await store.nudges.plans_of([parent_id], child_id):
        plan.last_contact_at = now
        plan.nudges_ignored = 0
        if not plan.nudges_stopped:
            plan.next_nudge_at = next_nudge_after_contact(now, plan.cadence_days)
