"""An alert's later episodes: raised again, noted late, due at night, raised twice at once."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.adapters.db.alert_repo import AlertRepo
from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.services.alerts.ladder import MAX_ESCALATIONS
from bot.services.alerts.raising import raise_alert
from bot.services.entry import router
from bot.services.tick import collect_due
from tests.helpers import (
    VOLUNTEER_TG,
    alert_rows,
    all_alerts,
    outbox_rows,
    program_with_volunteer,
    sender,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _escalations(core, clock, ticks: int, minutes: int) -> int:
    steps = 0
    for _ in range(ticks):
        clock.advance(minutes=minutes)
        steps += (await collect_due(core.deps)).escalated
    return steps


def _buttons(row) -> str:
    return str(row.body.get("buttons") or row.body.get("reply_markup") or row.body)


async def test_a_crisis_raised_again_gets_its_own_start_and_a_whole_new_ladder(core, clock):
    await program_with_volunteer(core)
    await router.handle_command(core.deps, sender(1001), "sos", "")
    assert await _escalations(core, clock, 12, 16) == MAX_ESCALATIONS  # nobody answered
    clock.advance(days=1)
    again_at = clock.now()
    await router.handle_command(core.deps, sender(1001), "sos", "")
    (alert,) = await all_alerts(core)
    assert alert.since == again_at and alert.escalation_level == 0
    assert await _escalations(core, clock, 12, 16) == MAX_ESCALATIONS


async def test_an_escalation_in_one_episode_leaves_the_next_one_its_escalate_button(core, clock):
    await program_with_volunteer(core)
    await router.handle_command(core.deps, sender(1001), "sos", "")
    (alert,) = await all_alerts(core)
    me = sender(VOLUNTEER_TG, "en")
    await router.handle_button(core.deps, me, f"v:{alert.id}:esc")
    await router.handle_button(core.deps, me, f"v:{alert.id}:ack")
    clock.advance(days=2)
    await router.handle_command(core.deps, sender(1001), "sos", "")
    newest = alert_rows(await outbox_rows(core), VOLUNTEER_TG)[-1]
    assert f"v:{alert.id}:esc" in _buttons(newest)
    pressed = await router.handle_button(core.deps, me, f"v:{alert.id}:esc")
    (alert,) = await all_alerts(core)
    assert alert.escalation_level == 1 and alert.acknowledged_by is None
    assert pressed.toast and "not possible" not in pressed.toast


async def test_a_note_about_an_earlier_contact_does_not_close_a_reopened_crisis(core, clock):
    await program_with_volunteer(core)
    await router.handle_text(core.deps, sender(1001), "I want to kill myself")
    (alert,) = await all_alerts(core)
    me = sender(VOLUNTEER_TG, "en")
    await router.handle_button(core.deps, me, f"v:{alert.id}:done")
    clock.advance(hours=2)
    await router.handle_text(core.deps, sender(1001), "I want to kill myself tonight")
    clock.advance(minutes=5)
    noted = await router.handle_text(core.deps, me, "Called her earlier; she is with grandma.")
    assert "saved" in noted.replies[0].text
    (alert,) = await all_alerts(core)
    assert alert.status == "open" and alert.escalate_at is not None
    assert await _escalations(core, clock, 1, 15) == 1


async def test_a_task_due_in_the_night_waits_for_the_morning_instead_of_piling_up(core, clock):
    child_id = await program_with_volunteer(core)
    clock.set(datetime(2026, 11, 25, 20, 0, tzinfo=SHANGHAI).astimezone(UTC))
    async with core.deps.stores.sessions.begin() as session:
        child = await session.get(Person, child_id)
        await raise_alert(core.deps, Store(session), child, "silence_task", "alert")
    await _escalations(core, clock, 24, 30)  # every half hour until 08:00
    (alert,) = await all_alerts(core)
    assert alert.escalation_level == 1  # once, at 07:30, not five times overnight
    assert alert.escalate_at.astimezone(SHANGHAI).hour == 9  # 07:30 + 2 h
    sent = [
        r.send_after.astimezone(SHANGHAI)
        for r in alert_rows(await outbox_rows(core), VOLUNTEER_TG)
    ]
    assert [(t.hour, t.minute) for t in sent] == [(20, 0), (7, 30)]


async def test_an_alert_raised_twice_at_once_counts_as_a_repeat(core, clock, monkeypatch):
    child_id = await program_with_volunteer(core)
    await router.handle_command(core.deps, sender(1001), "sos", "")
    real, missed = AlertRepo.open_alert, []

    async def misses_once(repo, child, reason):
        if not missed:  # as if another message's insert had not been seen yet
            missed.append(True)
            return None
        return await real(repo, child, reason)

    monkeypatch.setattr(AlertRepo, "open_alert", misses_once)
    async with core.deps.stores.sessions.begin() as session:
        child = await session.get(Person, child_id)
        assert await raise_alert(core.deps, Store(session), child, "sos", "urgent") > 0
    (alert,) = await all_alerts(core)
    assert alert.detail.get("repeats") == 1
