"""The silence step for the carer at home: queued at the carer's good hour, once per silence,
never while a crisis alert is live, never to a carer who withdrew consent, and nothing at all
when the child has no carer (the volunteer's task still follows)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.adapters.db.models import Consent, Person
from bot.adapters.db.store import Store
from bot.bootstrap import Core
from bot.domain.consent import ConsentKind
from bot.domain.people import Role
from bot.services.alerts.raising import raise_alert
from bot.services.entry import router
from bot.services.family import carer_word
from bot.services.people.enrolment import InviteRequest
from tests.conftest import SHANGHAI
from tests.helpers import (
    VOLUNTEER_TG,
    all_alerts,
    answer_checkin,
    invite,
    miss_checkin,
    outbox_rows,
    program_with_volunteer,
    sender,
)

CARER_TG = 2002
# The carer works until 20:00 every day (Shanghai), so a word decided at a check-in's expiry
# (17:30) must wait until then: the carer's good hour, not the moment the step is reached.
WORK_HOURS = "daily 09:00-20:00"


async def _with_carer(core: Core) -> tuple[int, int]:
    """The volunteer's program with a grandmother at home who joined; (child id, carer id)."""
    child_id = await program_with_volunteer(core)
    code = await invite(core, InviteRequest.of("carer", child="xiaoming", name="Nainai"))
    await router.handle_start(core.deps, sender(CARER_TG, "en"), code)
    async with core.deps.stores.sessions.begin() as session:
        carer = (await session.scalars(select(Person).where(Person.telegram_id == CARER_TG))).one()
        carer.work_hours = WORK_HOURS
        return child_id, carer.id


def _carer_rows(rows):
    return [r for r in rows if r.kind == carer_word.KIND]


def _task_rows(rows):
    return [
        r
        for r in rows
        if r.kind == "alert" and r.chat_id == VOLUNTEER_TG and "missed several" in r.body["text"]
    ]


async def _miss_until_task(core: Core, clock, child_id: int, most: int = 8) -> int:
    """Miss check-ins until the volunteer's silence task is raised; returns how many."""
    for count in range(1, most + 1):
        await miss_checkin(core, clock, child_id)
        if any(a.reason == "silence_task" for a in await all_alerts(core)):
            return count
    raise AssertionError(f"no silence task after {most} missed check-ins")


async def test_the_carer_gets_one_warm_word_at_their_good_hour_before_the_task(core, clock):
    child_id, carer_id = await _with_carer(core)
    await answer_checkin(core, clock, child_id, 1001, mood=4, items=(1, 1, 1))
    await _miss_until_task(core, clock, child_id)
    rows = await outbox_rows(core)
    (word,) = _carer_rows(rows)
    assert (word.person_id, word.chat_id) == (carer_id, CARER_TG)
    assert word.id < _task_rows(rows)[0].id  # the carer's step comes before the task
    text = word.body["text"]
    assert "xiaoming" in text and "remind them" in text  # in the carer's language (English)
    for private in ("lonely", "sad", "mood", "alert", "volunteer", "worr"):
        assert private not in text.lower(), f"the carer's word must not mention {private!r}"
    local = word.send_after.astimezone(SHANGHAI)
    assert (local.hour, local.minute) == (20, 0)  # after the carer's working hours
    assert word.created_at.astimezone(SHANGHAI).hour == 17  # decided at the 17:30 expiry

    for _ in range(6):  # the silence goes on: no second word
        await miss_checkin(core, clock, child_id)
    assert len(_carer_rows(await outbox_rows(core))) == 1


async def test_a_repeated_step_in_the_same_silence_sends_nothing_twice(core, clock):
    child_id, _ = await _with_carer(core)
    await _miss_until_task(core, clock, child_id)
    (word,) = _carer_rows(await outbox_rows(core))
    since = datetime.fromtimestamp(int(word.dedupe_key.rsplit(":", 1)[1]), SHANGHAI)
    async with core.deps.stores.sessions.begin() as session:  # e.g. a replay after a restart
        child = await session.get(Person, child_id)
        assert await carer_word.tell_carers(core.deps, Store(session), child, since) == 0
    assert len(_carer_rows(await outbox_rows(core))) == 1


async def test_a_new_silence_after_an_answer_brings_a_new_word(core, clock):
    child_id, _ = await _with_carer(core)
    await _miss_until_task(core, clock, child_id)
    # the long silence now counts in the child's own habit (silence is measured against it):
    # some weeks of answers show the child back at it, and the next silence is a new one
    for _ in range(10):
        await answer_checkin(core, clock, child_id, 1001, mood=4, items=(1, 1, 1))
    for _ in range(6):
        await miss_checkin(core, clock, child_id)
        if len(_carer_rows(await outbox_rows(core))) == 2:
            break
    assert len(_carer_rows(await outbox_rows(core))) == 2


async def test_no_word_to_the_carer_while_a_crisis_alert_is_open(core, clock):
    child_id, _ = await _with_carer(core)
    async with core.deps.stores.sessions.begin() as session:
        child = await session.get(Person, child_id)
        await raise_alert(core.deps, Store(session), child, "crisis", "urgent")
    await _miss_until_task(core, clock, child_id)
    rows = await outbox_rows(core)
    assert _carer_rows(rows) == []
    assert _task_rows(rows)  # the volunteer still gets the task


async def test_no_word_to_a_carer_who_withdrew_their_consent(core, clock):
    child_id, carer_id = await _with_carer(core)
    async with core.deps.stores.sessions.begin() as session:  # the mother's consent still stands
        session.add(
            Consent(
                child_id=child_id,
                kind=ConsentKind.GUARDIAN.value,
                method="chat",
                recorded_by=carer_id,
                from_account=CARER_TG,
                from_role="carer",
                from_name="Nainai",
                given_at=clock.now(),
                withdrawn_at=clock.now(),
            )
        )
    await _miss_until_task(core, clock, child_id)
    assert _carer_rows(await outbox_rows(core)) == []


async def test_no_word_to_a_carer_who_blocked_the_bot(core, clock):
    child_id, carer_id = await _with_carer(core)
    async with core.deps.stores.sessions.begin() as session:
        (await session.get(Person, carer_id)).unreachable_since = clock.now()
    await _miss_until_task(core, clock, child_id)
    assert _carer_rows(await outbox_rows(core)) == []


async def test_without_a_carer_the_step_does_nothing_and_the_task_follows(core, clock):
    child_id = await program_with_volunteer(core)
    for _ in range(6):  # silence is measured against the child's habit: here, answering
        await answer_checkin(core, clock, child_id, 1001, mood=4, items=(1, 1, 1))
    missed = await _miss_until_task(core, clock, child_id)
    rows = await outbox_rows(core)
    assert _carer_rows(rows) == []
    assert len(_task_rows(rows)) == 1
    assert missed <= 4  # within four scheduled check-ins of the child stopping
    parents = [r for r in rows if r.chat_id == 2001 and r.kind == carer_word.KIND]
    assert parents == []  # a parent far away is not the carer at home
    async with core.deps.stores.sessions() as session:
        roles = {p.role for p in (await session.scalars(select(Person))).all()}
    assert Role.PARENT.value in roles
