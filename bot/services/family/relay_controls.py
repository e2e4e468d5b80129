"""Who may stop family messages: the child for a while (mute), a coordinator for safeguarding.

A child's mute is private: parents' messages wait until it ends and the parent is not told why.
A coordinator's pause (e.g. a court order) holds that parent's messages until resumed; held
messages stay held, for the social worker to decide about, rather than arriving all at once.
"""

from __future__ import annotations

from datetime import timedelta

from bot.adapters.db.models import ChildProfile, Person
from bot.adapters.db.store import Store
from bot.domain.actions import MuteRelay, encode
from bot.domain.people import LinkKind
from bot.domain.relay import MUTE_DAYS
from bot.services.access import OWN, act_for
from bot.services.checkins.scheduling import child_allowed
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.formatting import local_time
from bot.services.outcome import Button, Message, Outcome, Sender

PAUSE_VERBS = ("pause", "resume")


async def mute_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """Offer how long to mute, for each child on this phone."""
    locale = people[0].locale
    rows = []
    for child in people:
        rows.append(
            tuple(
                Button(
                    deps.texts.label(f"mute_{days}", locale, group="relay"),
                    encode(MuteRelay(child.id, days)),
                )
                for days in MUTE_DAYS
            )
        )
    names = [c.display_name for c in people] if len(people) > 1 else []
    return Outcome.reply(deps.texts.render("mute_choose", locale, names=names), tuple(rows))


async def choose_mute(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: MuteRelay
) -> Outcome:
    access = await act_for(store, people, action.child_id, OWN)
    if access is None or action.days not in MUTE_DAYS:
        return Outcome.refusal()
    child = access.person
    profile = await store.get(ChildProfile, child.id)
    if profile is None:
        return Outcome.refusal()
    until = deps.clock.now() + timedelta(days=action.days)
    profile.relay_muted_until = until
    when = local_time(deps, until, child.timezone, child.locale)
    return Outcome(
        edit=Message(deps.texts.render("muted", child.locale, until=when)),
        toast=deps.texts.label("noted", child.locale),
    )


async def unmute_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """Messages that waited for the mute come at the child's next allowed moment."""
    now = deps.clock.now()
    for child in people:
        profile = await store.get(ChildProfile, child.id)
        if profile is None or profile.relay_muted_until is None:
            continue
        profile.relay_muted_until = None
        await store.relays.release_queued(child.id, child_allowed(deps, child, now))
    return Outcome.reply(deps.texts.render("unmuted", people[0].locale))


async def relay_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/relay NICKNAME pause|resume [PARENT_NAME]`: one parent, or all the child's parents."""
    if len(args) < 2 or args[1] not in PAUSE_VERBS:
        raise UserError("relay_usage")
    nickname, verb, parent_name = args[0], args[1], " ".join(args[2:])
    found = await store.people.child_by_nickname(nickname)
    if found is None:
        raise UserError("child_not_found", nickname=nickname)
    child, _ = found
    parents = list(await store.people.linked_adults(child.id, LinkKind.PARENT))
    if parent_name:
        parents = [p for p in parents if p.display_name == parent_name]
    if not parents:
        raise UserError("parent_not_found", name=parent_name, nickname=child.display_name)
    now = deps.clock.now()
    for parent in parents:
        plan = await store.people.ensure_contact_plan(parent.id, child.id, now)
        plan.relay_paused = verb == "pause"
    return Outcome.reply(
        deps.texts.render(
            "relay_pause_set",
            people[0].locale,
            paused=verb == "pause",
            child=child.display_name,
            parents=[p.display_name for p in parents],
        )
    )
