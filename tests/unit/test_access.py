"""The one access check: who on an account may act for a child, and how.

The people and links are held in memory (a fake store answering `get`, and a fake people
repository answering the link lookup), so each rule is checked without a database;
`tests/integration/test_buttons.py` runs
the same check on SQLite and PostgreSQL through real buttons.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.adapters.db.models import Person
from bot.services.access import (
    CALL_ANSWER,
    CASEWORK,
    FAR_PARENT,
    GUARDIAN,
    OWN,
    Standing,
    act_for,
)

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def person(pid: int, role: str) -> Person:
    return Person(
        id=pid,
        role=role,
        display_name=f"{role}{pid}",
        telegram_id=pid * 10,
        locale="en",
        timezone="Asia/Shanghai",
        created_at=NOW,
    )


class FakePeople:
    """The people repository's one lookup the check makes: an adult's links to a child."""

    def __init__(self, links: set[tuple[str, int, int]]) -> None:
        self.links = links
        self.lookups = 0

    async def link_kinds(self, adult_id: int, child_id: int) -> set[str]:
        self.lookups += 1
        return {kind for kind, a, c in self.links if (a, c) == (adult_id, child_id)}


class FakeStore:
    """The two things the access check reads: a person by id, and an adult's links to a child."""

    def __init__(self, people: list[Person], links: set[tuple[str, int, int]]) -> None:
        self.rows = {p.id: p for p in people}
        self.people = FakePeople(links)

    @property
    def link_lookups(self) -> int:
        return self.people.lookups

    async def get(self, model: type, key: int) -> Person | None:
        assert model is Person
        return self.rows.get(key)


CHILD, SISTER = person(1, "child"), person(2, "child")
MUM, GRANNY, DAD = person(10, "parent"), person(11, "parent"), person(12, "parent")
WANG, ZHAO = person(20, "volunteer"), person(21, "volunteer")
LI = person(30, "coordinator")
LINKS = {
    ("parent", MUM.id, CHILD.id),
    ("carer", GRANNY.id, CHILD.id),
    ("parent", DAD.id, CHILD.id),
    ("carer", DAD.id, CHILD.id),  # a father who is also the carer at home
    ("volunteer", WANG.id, CHILD.id),
    ("volunteer", ZHAO.id, SISTER.id),
}


def session(links: set[tuple[str, int, int]] = LINKS, people: list[Person] | None = None):
    everyone = [CHILD, SISTER, MUM, GRANNY, DAD, WANG, ZHAO, LI] if people is None else people
    return FakeStore(everyone, set(links))


async def standing(account: list[Person], right, child: Person = CHILD, store=None):
    found = await act_for(store or session(), account, child.id, right)
    return (found.person.id, found.standing) if found else None


async def test_the_child_acts_for_themself_and_nobody_else():
    assert await standing([CHILD], OWN) == (CHILD.id, Standing.CHILD)
    assert await standing([SISTER], OWN) is None
    for right in (CASEWORK, GUARDIAN, FAR_PARENT):
        assert await standing([CHILD], right) is None
    assert await standing([CHILD], CALL_ANSWER) == (CHILD.id, Standing.CHILD)


async def test_on_a_shared_phone_the_child_the_button_was_for_acts():
    assert await standing([SISTER, CHILD], OWN) == (CHILD.id, Standing.CHILD)
    assert await standing([SISTER, CHILD], OWN, child=SISTER) == (SISTER.id, Standing.CHILD)


async def test_a_coordinator_may_do_casework_for_any_child_but_not_family_things():
    found = await act_for(session(), [LI], SISTER.id, CASEWORK)
    assert found is not None and found.standing == Standing.COORDINATOR
    assert found.is_staff and found.is_coordinator
    for right in (OWN, GUARDIAN, FAR_PARENT, CALL_ANSWER):
        assert await standing([LI], right) is None


async def test_a_volunteer_only_for_their_own_children():
    found = await act_for(session(), [WANG], CHILD.id, CASEWORK)
    assert found is not None and found.standing == Standing.VOLUNTEER
    assert found.is_staff and not found.is_coordinator
    assert await standing([ZHAO], CASEWORK) is None  # another volunteer's child
    assert await standing([WANG], GUARDIAN) is None


async def test_a_volunteer_no_longer_assigned_is_a_stranger_to_the_child():
    withdrawn = LINKS - {("volunteer", WANG.id, CHILD.id)}
    assert await standing([WANG], CASEWORK, store=session(withdrawn)) is None


async def test_a_parent_and_a_carer_have_different_rights():
    assert await standing([MUM], GUARDIAN) == (MUM.id, Standing.PARENT)
    assert await standing([MUM], FAR_PARENT) == (MUM.id, Standing.PARENT)
    assert await standing([MUM], CALL_ANSWER) is None
    assert await standing([MUM], CASEWORK) is None
    assert await standing([GRANNY], GUARDIAN) == (GRANNY.id, Standing.CARER)
    assert await standing([GRANNY], CALL_ANSWER) == (GRANNY.id, Standing.CARER)
    assert await standing([GRANNY], FAR_PARENT) is None
    assert await standing([MUM], GUARDIAN, child=SISTER) is None  # not her child


async def test_a_parent_who_is_also_the_carer_consents_as_parent_and_answers_calls_as_carer():
    assert await standing([DAD], GUARDIAN) == (DAD.id, Standing.PARENT)
    assert await standing([DAD], CALL_ANSWER) == (DAD.id, Standing.CARER)


async def test_strangers_get_no_answer():
    assert await standing([], OWN) is None
    assert await standing([], CASEWORK) is None
    stranger = person(99, "parent")
    assert await standing([stranger], GUARDIAN) is None


async def test_a_child_who_has_left_is_nobodys_to_act_for():
    gone = session(people=[MUM, WANG, LI])  # the child's record is deleted; links may linger
    for account, right in (([LI], CASEWORK), ([WANG], CASEWORK), ([MUM], GUARDIAN)):
        assert await standing(account, right, store=gone) is None


async def test_an_id_that_is_not_a_child_gives_no_access():
    """A forged button carrying an adult's id in place of a child's."""
    assert await standing([LI], CASEWORK, child=MUM) is None


async def test_when_several_could_act_the_strongest_standing_wins_then_who_joined_first():
    # Accounts from before `join_refusal` may mix a child and their carer.
    assert await standing([GRANNY, CHILD], CALL_ANSWER) == (CHILD.id, Standing.CHILD)
    # A coordinator who is also the child's volunteer acts as coordinator (they may do more).
    assert await standing([WANG, LI], CASEWORK) == (LI.id, Standing.COORDINATOR)
    assert await standing([LI, WANG], CASEWORK) == (LI.id, Standing.COORDINATOR)
    assert await standing([GRANNY, MUM], GUARDIAN) == (MUM.id, Standing.PARENT)
    assert await standing([SISTER, CHILD], CALL_ANSWER) == (CHILD.id, Standing.CHILD)


async def test_nobody_is_looked_up_for_a_right_their_role_cannot_hold():
    store = session()
    assert await act_for(store, [MUM, GRANNY, WANG], CHILD.id, OWN) is None
    assert store.link_lookups == 0
