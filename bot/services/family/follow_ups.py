"""The fortnight after a departure: carrying out the follow-ups that are due.

An extra check-in is the ordinary one (a face, three taps, optional words: under a minute): the
questionnaire has no shorter variant yet, and the same items keep the child's trend comparable.
An extra nudge carries a departure starter and does not count in the plan's back-off. Each is
let go rather than sent late or on top of what the day already brought.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.adapters.db.models import FollowUp, Person
from bot.adapters.db.store import Store
from bot.domain.checkin_rules import CheckinKind
from bot.domain.consent import may_check_in
from bot.domain.follow_ups import FollowUpKind
from bot.domain.schedule import local_day_bounds
from bot.services.checkins.checkins import open_checkin
from bot.services.checkins.scheduling import child_allowed
from bot.services.deps import Deps
from bot.services.family import nudges

BATCH = 500
# Follow-ups due longer ago than this are never looked at again (the bot was down): an extra
# check-in or nudge days late helps nobody. Bounding the look-back keeps the query cheap.
LOOK_BACK = timedelta(days=2)
NUDGE_STALE = timedelta(hours=24)
# A parent who wrote this recently is already in touch: no extra nudge.
RECENT_CONTACT = timedelta(hours=24)


async def collect_follow_ups(deps: Deps) -> int:
    """Queue what is due now; returns how many messages were queued."""
    now = deps.clock.now()
    queued = 0
    while True:
        async with deps.stores.begin() as store:
            rows = await store.visits.follow_ups_due(now, now - LOOK_BACK, BATCH)
            for follow_up in rows:
                if follow_up.kind == FollowUpKind.CHECKIN:
                    queued += await _extra_checkin(deps, store, follow_up, now)
                else:
                    queued += await _extra_nudge(deps, store, follow_up, now)
        if len(rows) < BATCH:
            return queued


async def _extra_checkin(deps: Deps, store: Store, follow_up: FollowUp, now: datetime) -> int:
    """Open the extra check-in, unless the child may not get one or already has one that day."""
    follow_up.done_at = now
    found = await store.people.child_with_profile(follow_up.child_id)
    if found is None:
        return 0
    child, profile = found
    if now - follow_up.due_at >= timedelta(hours=deps.settings.checkin_window_hours):
        return 0  # the bot was down all the while: no stale check-in
    if not nudges.reachable(child) or profile.paused:
        return 0
    if not may_check_in(await store.people.consent_state(child.id), profile.paused):
        return 0
    if await store.checkins.open_checkin(child.id) is not None:
        return 0
    start, end = local_day_bounds(follow_up.due_at, deps.tz_of(child.timezone))
    if await store.visits.checkin_due_between(child.id, start, end):
        return 0  # that day already had its check-in: one a day is enough
    await open_checkin(deps, store, child, CheckinKind.FOLLOW_UP, child_allowed(deps, child, now))
    return 1


async def _extra_nudge(deps: Deps, store: Store, follow_up: FollowUp, now: datetime) -> int:
    """An extra nudge with a departure starter; not counted in the plan's back-off."""
    plan = await store.people.contact_plan(follow_up.person_id, follow_up.child_id)
    parent = await store.get(Person, follow_up.person_id)
    found = await store.people.child_with_profile(follow_up.child_id)
    if plan is None or parent is None or found is None or plan.nudges_stopped:
        follow_up.done_at = now
        return 0
    child, profile = found
    recent = plan.last_contact_at is not None and now - plan.last_contact_at < RECENT_CONTACT
    stale = now - follow_up.due_at >= NUDGE_STALE
    if recent or stale or await nudges.blocked(store, plan, parent, child):
        follow_up.done_at = now
        return 0
    wait_until = nudges.not_before(deps, parent, profile, now)
    if wait_until - now >= NUDGE_STALE:
        follow_up.done_at = now  # not within a day (the child muted parents): let it go
        return 0
    if wait_until > now:
        follow_up.due_at = wait_until  # not this hour for them: looked at again then
        return 0
    follow_up.done_at = now
    return int(await nudges.send_nudge(deps, store, plan, parent, child, now, departure=True))
