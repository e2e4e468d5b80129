"""`/visit`: a parent (for their own child) or a coordinator tells the dates of a stay at home.

Its end is a departure; `departure_plans.record_visit` stores the follow-ups after it, and the
reply says what is planned: how many extra check-ins from when, and the teller's own reminders.
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date

from bot.adapters.db.models import ChildProfile, FollowUp, Person, Visit
from bot.adapters.db.store import Store
from bot.domain.follow_ups import FollowUpKind, visit_problem
from bot.domain.people import Role, nickname_key
from bot.services.access import FAR_PARENT, act_for
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.family.departure_plans import record_visit
from bot.services.formatting import local_time
from bot.services.outcome import Outcome, Sender

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_date(text: str) -> date:
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise UserError("visit_dates", value=text) from None


async def visit_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/visit [NICK] YYYY-MM-DD YYYY-MM-DD`: a parent for their own child (the nickname may be
    left out when they have one), a coordinator for any child."""
    staff = [p for p in people if p.role == Role.COORDINATOR]
    reader = staff[0] if staff else people[0]
    if len(args) not in (2, 3) or (staff and len(args) != 3):
        raise UserError("visit_usage")
    if staff:
        found = await store.people.child_by_nickname(args[0])
        if found is None:
            raise UserError("child_not_found", nickname=args[0])
        child, profile = found
        parent_id = None
    else:
        child, profile, parent_id = await _family_child(store, people, args)
    starts_on, ends_on = _parse_date(args[-2]), _parse_date(args[-1])
    today = deps.clock.now().astimezone(deps.tz_of(child.timezone)).date()
    problem = visit_problem(starts_on, ends_on, today)
    if problem is not None:
        raise UserError(problem)
    visit, updated = await record_visit(
        deps, store, child, profile, starts_on, ends_on, parent_id, reader.id
    )
    follow_ups = await store.visits.follow_ups_of(visit.id)
    return Outcome.reply(_recorded_text(deps, reader, child, visit, follow_ups, updated))


async def _family_child(
    store: Store, parents: list[Person], args: list[str]
) -> tuple[Person, ChildProfile, int | None]:
    """The parent's own child named in args (or their only one), and the parent's id when
    they are the child's parent (a carer records for the parents: all of them are nudged)."""
    children: dict[int, Person] = {}
    for parent in parents:
        for child in await store.people.family_children(parent.id):
            children[child.id] = child
    if len(args) == 3:
        key = nickname_key(args[0])
        chosen = [c for c in children.values() if nickname_key(c.display_name) == key]
        if not chosen:
            raise UserError("child_not_found", nickname=args[0])  # same words as "not yours"
        child = chosen[0]
    elif len(children) == 1:
        child = next(iter(children.values()))
    else:
        names = sorted(c.display_name for c in children.values())
        raise UserError(
            "visit_which_child", children=", ".join(names), example=names[0] if names else ""
        )
    found = await store.people.child_with_profile(child.id)
    assert found is not None
    as_parent = await act_for(store, parents, child.id, FAR_PARENT)
    return found[0], found[1], as_parent.person.id if as_parent else None


def _recorded_text(
    deps: Deps,
    reader: Person,
    child: Person,
    visit: Visit,
    follow_ups: list[FollowUp] | tuple[FollowUp, ...],
    updated: bool,
) -> str:
    pending = [f for f in follow_ups if f.done_at is None]
    checkins = [f.due_at for f in pending if f.kind == FollowUpKind.CHECKIN]
    nudged = [f for f in pending if f.kind == FollowUpKind.NUDGE]
    mine = sorted(f.due_at for f in nudged if f.person_id == reader.id)
    locale = reader.locale
    return deps.texts.render(
        "visit_recorded",
        locale,
        child=child.display_name,
        starts=format_date(visit.starts_on, "medium", locale=locale),
        ends=format_date(visit.ends_on, "medium", locale=locale),
        updated=updated,
        checkins=len(checkins),
        first_checkin=local_time(deps, min(checkins), reader.timezone, locale)
        if checkins
        else None,
        reminders=[local_time(deps, due, reader.timezone, locale) for due in mine],
        parents_nudged=len({f.person_id for f in nudged}),
        staff=reader.role == Role.COORDINATOR,
    )
