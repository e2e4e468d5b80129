"""Volunteer and coordinator views of children: caseload, one child's record, notes, alerts.

Every path checks the role: a volunteer sees only their own children, and anyone else's child is
"not found", exactly like a child that does not exist. Each look at a record is logged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.adapters.db.models import ChildProfile, Person
from bot.adapters.db.store import Store
from bot.domain.accounts import account_reference
from bot.domain.alerting import NOTE_LIMIT, sparkline
from bot.domain.child_words import WORDS_SHOWN
from bot.domain.people import Role
from bot.services.access import CASEWORK, act_for
from bot.services.alerts.alert_view import reason_title
from bot.services.alerts.peer_flag import flag_date
from bot.services.checkins import child_words
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.family.call_summaries import call_summaries
from bot.services.formatting import local_time
from bot.services.outcome import Outcome, Sender

TREND = 10
NOTES_SHOWN = 3
CONSENTS_SHOWN = 6


async def _children_of(store: Store, staff: Sequence[Person]) -> list[Person]:
    if any(p.role == Role.COORDINATOR for p in staff):
        return [child for child, _ in await store.people.all_children()]
    seen: dict[int, Person] = {}
    for volunteer in staff:
        for child in await store.alerts.caseload(volunteer.id):
            seen[child.id] = child
    return sorted(seen.values(), key=lambda c: c.display_name)


async def _child_for(
    store: Store, staff: Sequence[Person], nickname: str
) -> tuple[Person, Person]:
    """The child and the staff member entitled to see them; "not found" otherwise."""
    found = await store.people.child_by_nickname(nickname)
    access = await act_for(store, staff, found[0].id, CASEWORK) if found else None
    if found is None or access is None:
        raise UserError("child_not_found", nickname=nickname)
    return found[0], access.person


async def mychildren_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    reader = people[0]
    rows = []
    now = deps.clock.now()
    children = await _children_of(store, people)
    ids = [child.id for child in children]
    recent_of = await store.alerts.recent_checkins_of(ids, TREND)
    open_count = Counter(alert.child_id for alert in await store.alerts.open_alerts(ids))
    calls = await call_summaries(deps, store, ids)
    profiles = await store.people.profiles_of(ids)
    for child in children:
        store.alerts.log_access(reader.id, child.id, "view_caseload", now)
        recent = recent_of[child.id]
        last = recent[-1] if recent else None
        rows.append(
            {
                "nickname": child.display_name,
                "trend": sparkline([c.score if c.status == "completed" else None for c in recent]),
                "last": local_time(deps, last.due_at, reader.timezone, reader.locale)
                if last
                else None,
                "last_status": last.status if last else None,
                "alerts": open_count[child.id],
                "unreachable": child.unreachable_since is not None,
                "missed_calls": (calls[child.id] or {}).get("missed", 0),
                "lonely_flag": flag_date(deps, profiles.get(child.id), reader),
            }
        )
    return Outcome.reply(deps.texts.render("caseload", reader.locale, rows=rows))


async def child_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    if len(args) != 1:
        raise UserError("child_usage")
    child, actor = await _child_for(store, people, args[0])
    now = deps.clock.now()
    words = await child_words.recent_words(deps, store, child.id, actor, WORDS_SHOWN)
    # One row per look; its name says whether the child's own words were on the screen.
    store.alerts.log_access(
        actor.id, child.id, "view_record_words" if words else "view_record", now
    )
    recent = await store.alerts.recent_checkins(child.id, TREND)
    alerts = [
        {
            "title": reason_title(deps, a.reason, actor.locale),
            "since": local_time(deps, a.since, actor.timezone, actor.locale),
            "urgent": a.severity == "urgent",
            "status": a.status,
        }
        for a in await store.alerts.open_alerts([child.id])
    ]
    notes = [
        {"text": n.text, "at": local_time(deps, n.created_at, actor.timezone, actor.locale)}
        for n in await store.alerts.notes(child.id, NOTES_SHOWN)
    ]
    coordinator = any(p.role == Role.COORDINATOR for p in people)
    text = deps.texts.render(
        "child_record",
        actor.locale,
        nickname=child.display_name,
        consents=await _consent_rows(deps, store, child, actor) if coordinator else None,
        trend=sparkline([c.score if c.status == "completed" else None for c in recent]),
        answered=sum(1 for c in recent if c.status == "completed"),
        total=len(recent),
        alerts=alerts,
        notes=notes,
        words=words,
        calls=(await call_summaries(deps, store, [child.id]))[child.id],
        lonely_flag=flag_date(deps, await store.get(ChildProfile, child.id), actor),
    )
    return Outcome.reply(text, child_words.listen_buttons(deps, words, actor.locale))


async def _consent_rows(
    deps: Deps, store: Store, child: Person, reader: Person
) -> dict[str, object]:
    """How, when, by whom and from which account each consent and assent was given.

    Only coordinators see it: least-privilege access to children's data (CAC provisions) and
    a volunteer's work needs none of it. The account is shown as a short reference, never the
    Telegram id, so a guardian's consent from the child's own account would stand out.
    """
    rows = [
        {
            "kind": c.kind,
            "method": c.method,
            "name": c.from_name,
            "role": c.from_role,
            "account": account_reference(c.from_account) if c.from_account is not None else None,
            "at": local_time(deps, c.given_at, reader.timezone, reader.locale),
            "withdrawn": local_time(deps, c.withdrawn_at, reader.timezone, reader.locale)
            if c.withdrawn_at
            else None,
        }
        for c in await store.people.consents_of(child.id, CONSENTS_SHOWN)
    ]
    state = await store.people.consent_state(child.id)
    return {"rows": rows, "missing": [kind.value for kind in state.missing()]}


async def note_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    if len(args) < 2:
        raise UserError("note_usage")
    child, actor = await _child_for(store, people, args[0])
    text = " ".join(args[1:])
    if len(text) > NOTE_LIMIT:
        raise UserError("note_too_long", limit=NOTE_LIMIT, length=len(text))
    now = deps.clock.now()
    store.alerts.add_note(child.id, actor.id, text, now)
    store.alerts.log_access(actor.id, child.id, "add_note", now)
    return Outcome.reply(
        deps.texts.render("note_saved", actor.locale, nickname=child.display_name)
    )


async def alerts_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """Open alerts: urgent first, then oldest; a volunteer sees their own children's only."""
    reader = people[0]
    children = {c.id: c for c in await _children_of(store, people)}
    alerts = await store.alerts.open_alerts(list(children))
    rows = [
        {
            "nickname": children[a.child_id].display_name,
            "title": reason_title(deps, a.reason, reader.locale),
            "since": local_time(deps, a.since, reader.timezone, reader.locale),
            "urgent": a.severity == "urgent",
            "acknowledged": a.status == "acknowledged",
        }
        for a in alerts
    ]
    return Outcome.reply(deps.texts.render("alerts_list", reader.locale, rows=rows))
