"""The alert ladder without a database (tests/fakes/alerts.py): raised, not repeated within an
episode, escalated after its deadline, stopped by an acknowledgement, topped out.

`tests/integration/test_alerts.py` and `test_alert_episodes.py` run the same rules through the
router on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.db.models import Alert, Person
from bot.adapters.dialog_bundle import load_dialogs
from bot.clock import FakeClock
from bot.domain.actions import AlertAction
from bot.domain.alerting import AlertStatus, AlertVerb
from bot.domain.dialog_data import Dialogs
from bot.domain.people import LinkKind, Role
from bot.services.alerts.answers import on_button
from bot.services.alerts.ladder import MAX_ESCALATIONS, escalate_due
from bot.services.alerts.raising import raise_alert
from bot.services.deps import Deps
from bot.services.outcome import Sender
from tests.conftest import MONDAY_10AM
from tests.fakes.alerts import FakeStore, fake_deps, person

CHILD, VOLUNTEER, COORDINATOR = 1, 2, 3


@pytest.fixture(scope="module")
def dialogs() -> Dialogs:
    return load_dialogs()


@pytest.fixture
def world(dialogs: Dialogs) -> tuple[Deps, FakeStore, FakeClock]:
    store = FakeStore()
    for pid, role in (
        (CHILD, Role.CHILD),
        (VOLUNTEER, Role.VOLUNTEER),
        (COORDINATOR, Role.COORDINATOR),
    ):
        store.add(person(pid, role))
    store.links.add((LinkKind.VOLUNTEER.value, VOLUNTEER, CHILD))
    clock = FakeClock(MONDAY_10AM)
    deps = fake_deps(store, clock, dialogs)
    return deps, store, clock


def child_of(store: FakeStore) -> Person:
    return store.rows[(Person, CHILD)]


def alerts_in(store: FakeStore) -> list[Alert]:
    return [row for (model, _), row in store.rows.items() if model is Alert]


def readers(store: FakeStore) -> list[int]:
    return [item.person_id for item in store.outbox.items]


async def test_a_concern_reaches_the_volunteer_and_is_not_repeated_within_its_episode(
    world: tuple[Deps, FakeStore, FakeClock],
) -> None:
    deps, store, clock = world
    assert await raise_alert(deps, store, child_of(store), "low_mood", "alert") == 1
    assert readers(store) == [VOLUNTEER]
    clock.advance(timedelta(hours=1))
    assert await raise_alert(deps, store, child_of(store), "low_mood", "alert") == 0
    (alert,) = alerts_in(store)
    assert alert.status == AlertStatus.OPEN and alert.detail.get("repeats", 0) == 0
    assert readers(store) == [VOLUNTEER]


async def test_words_to_read_are_new_news_each_time(
    world: tuple[Deps, FakeStore, FakeClock],
) -> None:
    deps, store, _ = world
    for excerpt in ("first", "second"):
        detail = {"excerpt": excerpt}
        await raise_alert(deps, store, child_of(store), "please_read", "alert", detail=detail)
    (alert,) = alerts_in(store)
    assert alert.detail["excerpt"] == "second" and alert.detail["repeats"] == 1
    assert readers(store) == [VOLUNTEER, VOLUNTEER]


async def test_an_unacknowledged_concern_climbs_to_the_coordinators_after_its_deadline(
    world: tuple[Deps, FakeStore, FakeClock],
) -> None:
    deps, store, clock = world
    await raise_alert(deps, store, child_of(store), "low_mood", "alert")
    clock.advance(deps.settings.escalation_times.concern - timedelta(minutes=1))
    assert await escalate_due(deps) == 0
    clock.advance(timedelta(minutes=1))
    assert await escalate_due(deps) == 1
    (alert,) = alerts_in(store)
    assert alert.escalation_level == 1
    assert alert.escalate_at == clock.now() + deps.settings.escalation_times.concern
    assert readers(store) == [VOLUNTEER, VOLUNTEER, COORDINATOR]


async def test_an_acknowledgement_stops_the_ladder(
    world: tuple[Deps, FakeStore, FakeClock],
) -> None:
    deps, store, clock = world
    await raise_alert(deps, store, child_of(store), "low_mood", "alert")
    (alert,) = alerts_in(store)
    volunteer = store.rows[(Person, VOLUNTEER)]
    tapped = await on_button(
        deps,
        store,
        Sender(user_id=2000, chat_id=2000),
        [volunteer],
        AlertAction(alert.id, AlertVerb.ACKNOWLEDGE),
    )
    assert not tapped.refused
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == VOLUNTEER
    assert alert.escalate_at is None
    clock.advance(timedelta(days=3))
    assert await escalate_due(deps) == 0
    assert readers(store) == [VOLUNTEER]


async def test_an_acknowledged_concern_raised_again_starts_a_new_episode(
    world: tuple[Deps, FakeStore, FakeClock],
) -> None:
    deps, store, clock = world
    await raise_alert(deps, store, child_of(store), "low_mood", "alert")
    (alert,) = alerts_in(store)
    alert.status, alert.acknowledged_by, alert.escalate_at = "acknowledged", VOLUNTEER, None
    clock.advance(timedelta(days=2))
    assert await raise_alert(deps, store, child_of(store), "low_mood", "alert") == 1
    assert alert.status == AlertStatus.OPEN and alert.acknowledged_by is None
    assert alert.detail["repeats"] == 1
    assert alert.escalate_at == clock.now() + deps.settings.escalation_times.concern


async def test_an_urgent_alert_reaches_everyone_at_once_and_its_ladder_tops_out(
    world: tuple[Deps, FakeStore, FakeClock],
) -> None:
    deps, store, clock = world
    assert await raise_alert(deps, store, child_of(store), "sos", "urgent") == 2
    assert sorted(readers(store)) == [VOLUNTEER, COORDINATOR]
    steps = 0
    for _ in range(MAX_ESCALATIONS + 4):
        clock.advance(deps.settings.escalation_times.urgent)
        steps += await escalate_due(deps)
    (alert,) = alerts_in(store)
    assert steps == MAX_ESCALATIONS == alert.escalation_level
    assert alert.escalate_at is None and alert.status == AlertStatus.OPEN
