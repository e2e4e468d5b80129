"""Reading free words over in-memory repositories (tests/fakes/entry.py): which facts are looked
up and what they make of the words, before anything is answered.

The answers themselves (a relay sent, a check-in finished, the crisis path) are run through the
router on SQLite and PostgreSQL in tests/integration (test_crisis, test_please_read,
test_shared_phone_privacy, test_checkins, test_alerts).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.db.models import Alert, Checkin, Person, Relay
from bot.adapters.dialog_bundle import load_dialogs
from bot.clock import FakeClock
from bot.domain.awaiting import awaiting
from bot.domain.detection import EVERYDAY, URGENT, Assessment
from bot.domain.dialog_data import Dialogs
from bot.domain.people import LinkKind, Role
from bot.domain.relay import RelayKind
from bot.domain.text_meaning import Meaning
from bot.services.deps import Deps
from bot.services.entry.free_text import read
from bot.services.entry.readings import Said
from bot.services.outcome import Sender
from tests.conftest import MONDAY_10AM
from tests.fakes.alerts import fake_deps, person
from tests.fakes.entry import FakeEntryStore

CHILD, SISTER, VOLUNTEER, PARENT = 1, 2, 3, 4
PHONE = 1000  # the children's shared phone
CALM = Assessment(EVERYDAY, None, 0.0, None)
DANGER = Assessment(URGENT, "self_harm", 0.99, None)


@pytest.fixture(scope="module")
def dialogs() -> Dialogs:
    return load_dialogs()


@pytest.fixture
def world(dialogs: Dialogs) -> tuple[Deps, FakeEntryStore]:
    store = FakeEntryStore()
    store.add(person(CHILD, Role.CHILD, PHONE))
    store.add(person(SISTER, Role.CHILD, PHONE))
    store.add(person(VOLUNTEER, Role.VOLUNTEER))
    store.add(person(PARENT, Role.PARENT))
    store.link(LinkKind.PARENT, store.rows[(Person, PARENT)], store.rows[(Person, CHILD)])
    return fake_deps(store, FakeClock(MONDAY_10AM), dialogs), store


async def reading(
    deps: Deps,
    store: FakeEntryStore,
    telegram_id: int,
    text: str | None = "hello",
    verdict: Assessment = CALM,
    reply_to: int | None = None,
) -> tuple[Meaning, Said]:
    people = list(await store.people.people_on_account(telegram_id))
    said = Said(Sender(telegram_id, telegram_id), people, RelayKind.TEXT, text, None, reply_to)
    said.verdict = verdict if text else None
    return await read(deps, store, said), said


def row(store: FakeEntryStore, pid: int) -> Person:
    return store.rows[(Person, pid)]


def open_alert(store: FakeEntryStore) -> Alert:
    alert = Alert(child_id=CHILD, reason="low_mood", severity="alert", status="acknowledged")
    store.add(alert)
    return alert


async def test_nobody_on_the_account_is_a_stranger(world: tuple[Deps, FakeEntryStore]) -> None:
    deps, store = world
    assert (await reading(deps, store, 999_999))[0] == Meaning.STRANGER


async def test_a_volunteers_awaited_note_is_taken_as_the_note(
    world: tuple[Deps, FakeEntryStore],
) -> None:
    deps, store = world
    alert = open_alert(store)
    row(store, VOLUNTEER).awaiting = awaiting("outcome", alert.id, MONDAY_10AM)
    found, said = await reading(deps, store, VOLUNTEER * 1000)
    assert found == Meaning.NOTE and said.note_taker is row(store, VOLUNTEER)


async def test_a_note_owed_on_an_alert_that_is_gone_is_forgotten(
    world: tuple[Deps, FakeEntryStore],
) -> None:
    deps, store = world
    row(store, VOLUNTEER).awaiting = awaiting("outcome", 77, MONDAY_10AM)
    found, _ = await reading(deps, store, VOLUNTEER * 1000)
    assert found == Meaning.FREE_TEXT and row(store, VOLUNTEER).awaiting is None


async def test_words_after_asking_for_help_are_for_the_volunteer_crisis_or_not(
    world: tuple[Deps, FakeEntryStore],
) -> None:
    deps, store = world
    row(store, SISTER).awaiting = awaiting("sos", SISTER, MONDAY_10AM)
    found, said = await reading(deps, store, PHONE)
    assert found == Meaning.HELP_WORDS and said.helped is row(store, SISTER)
    assert (await reading(deps, store, PHONE, verdict=DANGER))[0] == Meaning.CRISIS_AFTER_HELP
    deps.clock.advance(timedelta(hours=1))
    assert (await reading(deps, store, PHONE))[0] == Meaning.FREE_TEXT


async def test_a_telegram_reply_to_a_parents_message_is_an_answer_unless_a_crisis(
    world: tuple[Deps, FakeEntryStore],
) -> None:
    deps, store = world
    store.add(Relay(id=5, sender_id=PARENT, recipient_id=CHILD, message_id=42, kind="text"))
    found, said = await reading(deps, store, PHONE, reply_to=42)
    assert found == Meaning.REPLY and said.answered == (row(store, CHILD), store.rows[(Relay, 5)])
    found, _ = await reading(deps, store, PHONE, reply_to=42, verdict=DANGER)
    assert found == Meaning.CRISIS_IN_REPLY
    assert (await reading(deps, store, PHONE, reply_to=41))[0] == Meaning.FREE_TEXT


async def test_a_voice_note_without_words_can_still_answer_a_parent(
    world: tuple[Deps, FakeEntryStore],
) -> None:
    deps, store = world
    store.add(Relay(id=5, sender_id=PARENT, recipient_id=CHILD, message_id=42, kind="text"))
    assert (await reading(deps, store, PHONE, text=None, reply_to=42))[0] == Meaning.REPLY


async def test_after_reply_words_stay_with_a_check_in_that_waits_for_them(
    world: tuple[Deps, FakeEntryStore],
) -> None:
    """Two sisters' check-ins wait for words on one phone: whose these are is unclear, and
    they are never sent to a parent (the "Reply" is kept for later)."""
    deps, store = world
    store.add(Relay(id=5, sender_id=PARENT, recipient_id=CHILD, message_id=42, kind="text"))
    row(store, CHILD).awaiting = awaiting("reply", 5, MONDAY_10AM)
    for cid, child in ((10, CHILD), (11, SISTER)):
        store.add(
            Checkin(
                id=cid,
                child_id=child,
                status="open",
                step=deps.questionnaire.words_step,
                message_id=100 + cid,
                expires_at=MONDAY_10AM + timedelta(hours=2),
            )
        )
    found, said = await reading(deps, store, PHONE)
    assert found == Meaning.UNCLEAR and said.unclear is not None
    assert row(store, CHILD).awaiting is not None
    assert (await reading(deps, store, PHONE, verdict=DANGER))[0] == Meaning.CRISIS


async def test_after_reply_with_no_check_in_waiting_the_words_go_back(
    world: tuple[Deps, FakeEntryStore],
) -> None:
    deps, store = world
    store.add(Relay(id=5, sender_id=PARENT, recipient_id=CHILD, message_id=42, kind="text"))
    row(store, CHILD).awaiting = awaiting("reply", 5, MONDAY_10AM)
    found, said = await reading(deps, store, PHONE)
    assert found == Meaning.REPLY and said.answered is not None
    assert row(store, CHILD).awaiting is None  # one answer per "Reply"


async def test_a_parent_writes_to_a_child_and_an_adult_without_one_gets_the_pointer(
    world: tuple[Deps, FakeEntryStore],
) -> None:
    deps, store = world
    found, said = await reading(deps, store, PARENT * 1000, verdict=DANGER)
    assert found == Meaning.PARENT_MESSAGE and said.parent is row(store, PARENT)
    store.links.clear()
    assert (await reading(deps, store, PARENT * 1000))[0] == Meaning.FREE_TEXT


async def test_crisis_words_with_nothing_else_to_mean_take_the_crisis_path(
    world: tuple[Deps, FakeEntryStore],
) -> None:
    deps, store = world
    assert (await reading(deps, store, PHONE, verdict=DANGER))[0] == Meaning.CRISIS
    assert (await reading(deps, store, VOLUNTEER * 1000, verdict=DANGER))[0] == Meaning.FREE_TEXT
