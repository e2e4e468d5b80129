"""The standing "consistently lonely" flag: stored once, shown to staff, never pushed.

A child whose check-ins stay high is not rising (that is what alerts are for) but steadily
lonely: the volunteer and coordinators should consider them for a peer group ("Best Friends"
activities). So the flag is a line with its date in `/mychildren`, `/child` and the
coordinators' `/flagged`, and never an alert, a push message, or anything family can see.
"""

from __future__ import annotations

import logging

from bot.adapters.db.models import ChildProfile, Person
from bot.adapters.db.store import Store
from bot.domain.people import LinkKind
from bot.services.deps import Deps
from bot.services.formatting import local_date
from bot.services.outcome import Outcome, Sender

log = logging.getLogger(__name__)


async def raise_flag(deps: Deps, store: Store, child: Person) -> bool:
    """Store the flag for the child; False when it was already there (it is set only once)."""
    profile = await store.get(ChildProfile, child.id)
    if profile is None or profile.lonely_flagged_at is not None:
        return False
    profile.lonely_flagged_at = deps.clock.now()
    log.info("child %s flagged consistently lonely (peer group)", child.id)
    return True


def flag_date(deps: Deps, profile: ChildProfile | None, reader: Person) -> str | None:
    """The flag's date for a staff view, in the reader's calendar and language; None if unset."""
    if profile is None or profile.lonely_flagged_at is None:
        return None
    return local_date(deps, profile.lonely_flagged_at, reader.timezone, reader.locale)


async def flagged_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/flagged`: every child with the standing flag, its date and the child's volunteers
    (coordinators only, by the router's role check: they form the peer groups)."""
    reader = people[0]
    now = deps.clock.now()
    rows = []
    for child, profile in await store.people.lonely_flagged():
        store.alerts.log_access(reader.id, child.id, "view_flagged", now)
        volunteers = await store.people.linked_adults(child.id, LinkKind.VOLUNTEER)
        rows.append(
            {
                "nickname": child.display_name,
                "since": flag_date(deps, profile, reader),
                "volunteers": ", ".join(v.display_name for v in volunteers),
            }
        )
    return Outcome.reply(deps.texts.render("flagged_list", reader.locale, rows=rows))
