"""The relay release rule run on an in-memory store: when the tick hands a queued family
message to the outbox, and when it keeps it (a pause, withdrawn consent, a mute, someone not
reachable, the recipient's own hours), with no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.db.models import ChildProfile, ContactPlan, Person, Relay
from bot.adapters.dialog_bundle import load_dialogs
from bot.bootstrap import shared_texts
from bot.clock import FakeClock
from bot.domain.people import Role
from bot.domain.relay import RelayKind, RelayStatus
from bot.domain.relay_release import UNREACHABLE_RETRY
from bot.services.deps import Deps
from bot.services.family import relay_release
from tests.conftest import MONDAY_10AM, SHANGHAI, make_settings
from tests.fakes.family_relay import FakeStore, FakeStores

# Monday 23 November 2026 in Shanghai: school ends at 16:30, the night starts at 21:00.
AFTER_SCHOOL = datetime(2026, 11, 23, 16, 30, tzinfo=SHANGHAI)
EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=SHANGHAI)
NIGHT = datetime(2026, 11, 23, 23, 0, tzinfo=SHANGHAI)
TUESDAY_0730 = datetime(2026, 11, 24, 7, 30, tzinfo=SHANGHAI)


class Family:
    """A child and a parent far away, both joined, consent given; one store, one clock."""

    def __init__(self) -> None:
        self.stores = FakeStores()
        self.store: FakeStore = self.stores.store
        self.clock = FakeClock(MONDAY_10AM)
        self.deps = Deps(
            stores=self.stores,  # type: ignore[arg-type]
            clock=self.clock,
            settings=make_settings("sqlite+aiosqlite:///unused.db"),
            texts=shared_texts("zh_CN", warm_up=False),
            dialogs=load_dialogs(),
        )
        self.child = self._person(Role.CHILD, "xiaoming", 1001)
        self.parent = self._person(Role.PARENT, "Mum", 2002)
        self.profile = ChildProfile(person_id=self.child.id, relay_muted_until=None)
        self.store.add(self.profile)
        self.store.consent(self.child)

    def _person(self, role: Role, name: str, telegram_id: int) -> Person:
        person = Person(
            role=role.value,
            display_name=name,
            telegram_id=telegram_id,
            locale="en",
            timezone="Asia/Shanghai",
            unreachable_since=None,
            work_hours=None,
        )
        self.store.add(person)
        return person

    def letter(self, deliver_after: datetime, to_child: bool = True) -> Relay:
        sender, recipient = (self.parent, self.child) if to_child else (self.child, self.parent)
        relay = Relay(
            sender_id=sender.id,
            recipient_id=recipient.id,
            kind=RelayKind.TEXT.value,
            text="Dinner?",
            file_id=None,
            status=RelayStatus.QUEUED.value,
            deliver_after=deliver_after,
            created_at=MONDAY_10AM,
        )
        self.store.add(relay)
        return relay

    async def tick_at(self, when: datetime) -> int:
        self.clock.set(when)
        return await relay_release.collect_relays(self.deps)


@pytest.fixture
def family() -> Family:
    return Family()


async def test_a_letter_whose_hour_came_goes_to_the_outbox_with_its_relay_id(family: Family):
    relay = family.letter(AFTER_SCHOOL)
    assert await family.tick_at(AFTER_SCHOOL) == 1
    assert relay.status == RelayStatus.SENDING.value
    (item,) = family.store.outbox.items
    assert item.relay_id == relay.id and item.kind == "relay" and item.chat_id == 1001
    assert item.dedupe_key == f"relay:{relay.id}:{int(AFTER_SCHOOL.timestamp())}"
    assert "Dinner?" in item.message.text and item.message.buttons  # quick answers for a child


async def test_nothing_is_due_before_its_hour(family: Family):
    relay = family.letter(AFTER_SCHOOL)
    assert await family.tick_at(AFTER_SCHOOL - timedelta(minutes=1)) == 0
    assert relay.status == RelayStatus.QUEUED.value and not family.store.outbox.items


async def test_a_late_tick_never_delivers_into_the_childs_night(family: Family):
    relay = family.letter(EVENING)
    assert await family.tick_at(NIGHT) == 0
    assert relay.status == RelayStatus.QUEUED.value
    assert relay.deliver_after == TUESDAY_0730
    assert await family.tick_at(TUESDAY_0730) == 1


async def test_a_coordinators_pause_holds_the_letter(family: Family):
    relay = family.letter(AFTER_SCHOOL)
    family.store.add(
        ContactPlan(parent_id=family.parent.id, child_id=family.child.id, relay_paused=True)
    )
    assert await family.tick_at(AFTER_SCHOOL) == 0
    assert relay.status == RelayStatus.HELD.value and not family.store.outbox.items


async def test_withdrawn_guardian_consent_holds_letters_both_ways(family: Family):
    to_child = family.letter(AFTER_SCHOOL)
    to_parent = family.letter(EVENING, to_child=False)
    family.store.consent(family.child, guardian=False)
    assert await family.tick_at(EVENING) == 0
    assert to_child.status == to_parent.status == RelayStatus.HELD.value


async def test_a_muted_child_gets_the_letter_at_the_first_allowed_hour_after_the_mute(
    family: Family,
):
    relay = family.letter(AFTER_SCHOOL)
    family.profile.relay_muted_until = datetime(2026, 11, 24, 12, 0, tzinfo=SHANGHAI)  # school
    assert await family.tick_at(AFTER_SCHOOL) == 0
    assert relay.deliver_after == datetime(2026, 11, 24, 16, 30, tzinfo=SHANGHAI)
    assert await family.tick_at(datetime(2026, 11, 24, 16, 30, tzinfo=SHANGHAI)) == 1


@pytest.mark.parametrize("why", ["not joined", "blocked"])
async def test_an_unreachable_recipient_is_looked_at_again_later(family: Family, why: str):
    relay = family.letter(AFTER_SCHOOL)
    if why == "not joined":
        family.child.telegram_id = None
    else:
        family.child.unreachable_since = MONDAY_10AM
    assert await family.tick_at(AFTER_SCHOOL) == 0
    assert relay.status == RelayStatus.QUEUED.value
    assert relay.deliver_after == AFTER_SCHOOL + UNREACHABLE_RETRY


async def test_a_childs_answer_waits_for_the_end_of_the_parents_working_day(family: Family):
    family.parent.work_hours = "mon-fri 08:00-18:00"
    relay = family.letter(AFTER_SCHOOL, to_child=False)
    assert await family.tick_at(AFTER_SCHOOL) == 0
    assert relay.deliver_after == datetime(2026, 11, 23, 18, 0, tzinfo=SHANGHAI)
    assert await family.tick_at(datetime(2026, 11, 23, 10, 0, tzinfo=UTC)) == 1  # 18:00 there
    (item,) = family.store.outbox.items
    assert item.chat_id == 2002 and not item.message.buttons  # no quick answers for a parent


async def test_a_letter_for_someone_gone_fails(family: Family):
    relay = family.letter(AFTER_SCHOOL)
    relay.recipient_id = 999
    assert await family.tick_at(AFTER_SCHOOL) == 0
    assert relay.status == RelayStatus.FAILED.value


async def test_the_tick_works_through_more_than_one_batch(family: Family):
    letters = [family.letter(AFTER_SCHOOL) for _ in range(relay_release.BATCH + 3)]
    assert await family.tick_at(AFTER_SCHOOL) == len(letters)
    assert {i.relay_id for i in family.store.outbox.items} == {r.id for r in letters}
