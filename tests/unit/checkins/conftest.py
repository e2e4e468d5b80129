"""A core without a database: real settings, texts and dialog data, the fake store, a fake
clock, and monitoring replaced by a list (what detection does with an ended check-in is tested
with the alerts)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.db.models import Checkin, Person
from bot.adapters.dialog_bundle import load_dialogs
from bot.bootstrap import shared_texts
from bot.clock import FakeClock
from bot.domain.checkin_rules import CheckinKind, CheckinStatus
from bot.domain.people import Role
from bot.services.checkins import checkins
from bot.services.deps import Deps
from tests.conftest import MONDAY_10AM, make_settings
from tests.fakes.checkins import FakeStore

DIALOGS = load_dialogs()


@pytest.fixture
def deps() -> Deps:
    settings = make_settings("sqlite+aiosqlite:///:memory:")
    return Deps(
        stores=None,  # type: ignore[arg-type]  # the rules get the fake store directly
        clock=FakeClock(MONDAY_10AM),
        settings=settings,
        texts=shared_texts(settings.default_locale, warm_up=False),
        dialogs=DIALOGS,
    )


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def observed(monkeypatch: pytest.MonkeyPatch) -> list[Checkin]:
    """The check-ins handed to monitoring, in order."""
    seen: list[Checkin] = []

    async def observe(deps: Deps, store: object, checkin: Checkin) -> None:
        seen.append(checkin)

    monkeypatch.setattr(checkins.monitoring, "observe", observe)
    return seen


def add_child(store: FakeStore, name: str = "Xiaoming", telegram_id: int = 501) -> Person:
    child = Person(
        role=Role.CHILD.value,
        display_name=name,
        telegram_id=telegram_id,
        locale="en",
        timezone="Asia/Shanghai",
        created_at=MONDAY_10AM,
    )
    store.add(child)
    return child


def add_checkin(
    store: FakeStore, child: Person, step: str = "mood", message_id: int | None = 900
) -> Checkin:
    checkin = Checkin(
        child_id=child.id,
        kind=CheckinKind.SCHEDULED.value,
        status=CheckinStatus.OPEN.value,
        step=step,
        due_at=MONDAY_10AM,
        expires_at=MONDAY_10AM + timedelta(hours=24),
        chat_id=child.telegram_id,
        message_id=message_id,
    )
    store.add(checkin)
    return checkin
