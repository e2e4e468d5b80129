"""One answer to "may this account act for this child, and how".

Every tap and command that touches one child asks here, naming the right it needs (`OWN`,
`CASEWORK`, `GUARDIAN`, `FAR_PARENT`, `CALL_ANSWER`: each a set of standings). The answer names
the person on the account who acts and how they stand to the child. No answer reads the same
for a stranger, another volunteer's child, a volunteer no longer assigned and a child who has
left the program, so a forged or stale button learns nothing from it.

Several people may share one account (children on a grandparent's phone; accounts from before
`accounts.join_refusal` may mix more). When more than one of them could act, the strongest
standing wins, in the order of `Standing` (a coordinator who is also a volunteer acts as
coordinator, a parent who is also the carer at home as parent); a tie goes to whoever joined
first. Writing to the access log stays with the caller, who knows what was looked at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.people import LinkKind, Role


class Standing(StrEnum):
    """How a person stands to a child, strongest first."""

    CHILD = "child"  # the child themself
    COORDINATOR = "coordinator"  # a social worker: every child in the program
    VOLUNTEER = "volunteer"  # the volunteer assigned to this child
    PARENT = "parent"  # a mother or father, usually working far away
    CARER = "carer"  # the guardian at home (a grandparent): may answer for the child


Right = frozenset[Standing]

OWN: Right = frozenset({Standing.CHILD})
"""The child's own buttons: check-ins, assent, help, mute, sharing, quick replies, calls held."""
CASEWORK: Right = frozenset({Standing.COORDINATOR, Standing.VOLUNTEER})
"""Alerts, the child's record and notes, their voice notes."""
GUARDIAN: Right = frozenset({Standing.PARENT, Standing.CARER})
"""A guardian's consent in chat."""
FAR_PARENT: Right = frozenset({Standing.PARENT})
"""What a parent does as parent: whom a message is for, the nudges, a visit as parent."""
CALL_ANSWER: Right = frozenset({Standing.CHILD, Standing.CARER})
"""Agreeing (or not) to the weekly call time a parent proposed."""

_STRENGTH = {standing: rank for rank, standing in enumerate(Standing)}
# What each role could ever stand as, so nobody is looked up for a right they cannot hold.
_POSSIBLE = {
    Role.CHILD: frozenset({Standing.CHILD}),
    Role.COORDINATOR: frozenset({Standing.COORDINATOR}),
    Role.VOLUNTEER: frozenset({Standing.VOLUNTEER}),
    Role.PARENT: frozenset({Standing.PARENT, Standing.CARER}),
}


@dataclass(frozen=True)
class Access:
    """Who on the account acts for the child, and as what."""

    person: Person
    standing: Standing
    child_id: int

    @property
    def is_staff(self) -> bool:
        return self.standing in CASEWORK

    @property
    def is_coordinator(self) -> bool:
        return self.standing == Standing.COORDINATOR


async def standings(store: Store, person: Person, child_id: int) -> tuple[Standing, ...]:
    """How one person stands to the child, strongest first (empty: a stranger to them)."""
    role = Role(person.role)
    if role == Role.CHILD:
        return (Standing.CHILD,) if person.id == child_id else ()
    child = await store.get(Person, child_id)
    if child is None or child.role != Role.CHILD:
        return ()  # no such child, or one who has left the program
    if role == Role.COORDINATOR:
        return (Standing.COORDINATOR,)
    kinds = await store.people.link_kinds(person.id, child_id)
    if role == Role.VOLUNTEER:
        return (Standing.VOLUNTEER,) if LinkKind.VOLUNTEER.value in kinds else ()
    return tuple(s for s in (Standing.PARENT, Standing.CARER) if s.value in kinds)


async def act_for(
    store: Store, people: Sequence[Person], child_id: int, right: Right
) -> Access | None:
    """The person on this account who may act for the child with this right, and how; None
    when nobody on it may."""
    best: tuple[int, int, Access] | None = None
    for order, person in enumerate(people):
        if not (_POSSIBLE[Role(person.role)] & right):
            continue
        held = [s for s in await standings(store, person, child_id) if s in right]
        if held:
            rank = (_STRENGTH[held[0]], order)
            if best is None or rank < best[:2]:
                best = (*rank, Access(person, held[0], child_id))
    return best[2] if best else None
