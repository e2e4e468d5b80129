"""Recording a visit on in-memory storage: what a departure plans, that telling it again adds
nothing, what a correction changes, and a parent's nudges moving with their clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.db.models import ChildProfile, Person
from bot.adapters.dialog_bundle import load_dialogs
from bot.clock import FakeClock
from bot.config import Settings
from bot.domain.follow_ups import FollowUpKind
from bot.domain.people import LinkKind
from bot.services.deps import Deps
from bot.services.family.departure_plans import record_visit, retime_parent_follow_ups
from tests.fakes.family import FakeStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
MADRID = ZoneInfo("Europe/Madrid")
LEFT = date(2026, 11, 23)  # Monday, day 0
STAY = (date(2026, 11, 16), LEFT)
NOW = datetime(2026, 11, 23, 16, 45, tzinfo=SHANGHAI)


def at(day: date, hour: int, minute: int = 0, tz: ZoneInfo = SHANGHAI) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


@pytest.fixture(scope="module")
def dialogs() -> Any:
    return load_dialogs()


@pytest.fixture
def deps(dialogs: Any) -> Deps:
    settings = Settings(_env_file=None, timezone="Asia/Shanghai")  # type: ignore[call-arg]
    clock = FakeClock(NOW)
    return Deps(stores=None, clock=clock, settings=settings, texts=None, dialogs=dialogs)  # type: ignore[arg-type]


@pytest.fixture
def family() -> tuple[FakeStore, Person, ChildProfile, Person, Person]:
    store = FakeStore()

    def person(role: str, name: str, tz: str) -> Person:
        return store.add_person(
            Person(role=role, display_name=name, locale="en", timezone=tz, created_at=NOW)
        )

    child = person("child", "xiaoming", "Asia/Shanghai")
    profile = ChildProfile(person_id=child.id, schedule="mon,wed,fri 17:30", paused=False)
    mum, dad = person("parent", "mum", "Asia/Shanghai"), person("parent", "dad", "Europe/Madrid")
    store.people.links += [
        (LinkKind.PARENT, mum.id, child.id),
        (LinkKind.PARENT, dad.id, child.id),
    ]
    return store, child, profile, mum, dad


def of(store: FakeStore, person: Person, kind: FollowUpKind) -> list[datetime]:
    return sorted(
        f.due_at for f in store.visits.follow_ups if f.person_id == person.id and f.kind == kind
    )


async def test_a_parent_telling_a_visit_plans_the_childs_check_ins_and_their_own_nudges(
    deps, family
):
    store, child, profile, mum, dad = family
    visit, updated = await record_visit(deps, store, child, profile, *STAY, mum.id, mum.id)
    assert not updated and visit.id is not None
    days = [LEFT.replace(day=d) for d in (24, 26, 28, 30)] + [date(2026, 12, 3), date(2026, 12, 7)]
    assert of(store, child, FollowUpKind.CHECKIN) == [at(day, 17, 30) for day in days]
    nudge_days = [date(2026, 11, 24), date(2026, 11, 27), date(2026, 12, 3)]
    assert of(store, mum, FollowUpKind.NUDGE) == [at(day, 18) for day in nudge_days]
    assert of(store, dad, FollowUpKind.NUDGE) == []  # only the parent who told it


async def test_a_coordinator_recording_it_nudges_every_parent_on_their_own_clock(deps, family):
    store, child, profile, mum, dad = family
    await record_visit(deps, store, child, profile, *STAY, None, 99)
    assert len(of(store, mum, FollowUpKind.NUDGE)) == 3
    assert of(store, dad, FollowUpKind.NUDGE)[0] == at(date(2026, 11, 24), 18, tz=MADRID)


async def test_telling_the_same_stay_again_adds_nothing(deps, family):
    store, child, profile, mum, _ = family
    first, _ = await record_visit(deps, store, child, profile, *STAY, mum.id, mum.id)
    rows = list(store.visits.follow_ups)
    again, updated = await record_visit(deps, store, child, profile, *STAY, mum.id, mum.id)
    assert updated and again is first and store.visits.follow_ups == rows


async def test_a_correction_replans_what_is_pending_and_keeps_what_was_done(deps, family):
    store, child, profile, mum, _ = family
    visit, _ = await record_visit(deps, store, child, profile, *STAY, mum.id, mum.id)
    day_1 = next(f for f in store.visits.follow_ups if f.due_at == at(date(2026, 11, 24), 17, 30))
    day_1.done_at = at(date(2026, 11, 24), 17, 30)
    deps.clock.set(at(date(2026, 11, 24), 20))
    # Mum stayed a day longer: day 0 is now the 24th.
    again, updated = await record_visit(
        deps, store, child, profile, STAY[0], date(2026, 11, 24), mum.id, mum.id
    )
    assert updated and again is visit and visit.ends_on == date(2026, 11, 24)
    checkins = of(store, child, FollowUpKind.CHECKIN)
    assert checkins[0] == day_1.due_at  # done, kept
    days = [(11, 25), (11, 27), (11, 29), (12, 1), (12, 4), (12, 8)]
    assert checkins[1:] == [at(date(2026, m, d), 17, 30) for m, d in days]
    assert of(store, mum, FollowUpKind.NUDGE)[0] == at(date(2026, 11, 25), 18)


async def test_a_parents_nudges_move_to_the_same_days_good_hour_on_a_new_clock(deps, family):
    store, child, profile, mum, _ = family
    await record_visit(deps, store, child, profile, *STAY, mum.id, mum.id)
    mum.timezone = "Europe/Madrid"
    await retime_parent_follow_ups(deps, store, mum, SHANGHAI)
    nudge_days = [date(2026, 11, 24), date(2026, 11, 27), date(2026, 12, 3)]
    assert of(store, mum, FollowUpKind.NUDGE) == [at(day, 18, tz=MADRID) for day in nudge_days]
    mum.work_hours = "daily 12:00-20:30"
    await retime_parent_follow_ups(deps, store, mum, MADRID)
    assert of(store, mum, FollowUpKind.NUDGE) == [at(day, 20, 30, tz=MADRID) for day in nudge_days]
