"""The crisis path through the core: nothing silences it, nothing delays it, nobody is misled."""

from __future__ import annotations

from bot.domain.people import Role
from bot.services.checkins import delivery
from bot.services.entry import router
from tests.helpers import (
    COORDINATOR_TG,
    VOLUNTEER_TG,
    alert_rows,
    all_alerts,
    answer_checkin,
    durable_replies,
    enrol_consented_child,
    next_checkin,
    outbox_rows,
    program_with_volunteer,
    sender,
    staff,
)

VOLUNTEER, COORDINATOR = VOLUNTEER_TG, COORDINATOR_TG


async def test_a_second_crisis_after_acknowledgement_goes_out_again(core, clock):
    await program_with_volunteer(core)
    await router.handle_text(core.deps, sender(1001), "我不想活了")
    (alert,) = await all_alerts(core)
    await router.handle_button(core.deps, sender(VOLUNTEER, "en"), f"v:{alert.id}:ack")
    before = len(alert_rows(await outbox_rows(core), VOLUNTEER))
    clock.advance(days=3)
    await router.handle_text(core.deps, sender(1001), "今晚去跳楼")
    assert "12356" in (await durable_replies(core, 1001))[-1]
    rows = await outbox_rows(core)
    assert len(alert_rows(rows, VOLUNTEER)) == before + 1
    assert "今晚去跳楼" in alert_rows(rows, VOLUNTEER)[-1].body["text"]
    (alert,) = await all_alerts(core)
    assert alert.status == "open"  # escalates again if nobody takes it


async def test_a_crisis_caption_on_a_photo_is_screened(core, clock):
    await program_with_volunteer(core)
    await router.handle_unsupported(core.deps, sender(1001), "I want to kill myself")
    assert "12356" in (await durable_replies(core, 1001))[-1]
    assert [a.reason for a in await all_alerts(core)] == ["crisis"]
    plain = await router.handle_unsupported(core.deps, sender(1001), "my cat")
    assert "12356" not in plain.replies[0].text


async def test_with_nobody_to_tell_the_child_is_not_told_someone_knows(core, clock):
    await enrol_consented_child(core)  # no volunteer, no coordinator
    await router.handle_command(core.deps, sender(1001), "sos", "")
    text = (await durable_replies(core, 1001))[-1]
    assert "12356" in text and "志愿者" not in text  # no "I have told your volunteer"


async def test_urgent_alerts_overtake_a_round_of_checkins(core, clock):
    child_id = await program_with_volunteer(core)
    for n in range(30):
        await enrol_consented_child(core, f"kid{n}", child_tg=10_000 + n, parent_tg=20_000 + n)
    await router.handle_command(core.deps, sender(COORDINATOR, "en"), "checkin_now", "all")
    clock.set(clock.now().replace(hour=9, minute=0))  # 17:00 in Shanghai: allowed
    from bot.services.tick import collect_due

    assert (await collect_due(core.deps)).opened == 31
    await router.handle_text(core.deps, sender(1001), "我不想活了")
    first = await delivery.claim(core.deps, 3)  # the child's hotlines, then both alerts
    assert [item.kind for item in first] == ["durable_reply", "alert", "alert"]
    assert child_id


async def test_urgent_alerts_cannot_be_snoozed_and_escalate_once(core, clock):
    await program_with_volunteer(core)
    await router.handle_command(core.deps, sender(1001), "sos", "")
    (alert,) = await all_alerts(core)
    me = sender(VOLUNTEER, "en")
    snoozed = await router.handle_button(core.deps, me, f"v:{alert.id}:snz")
    assert snoozed.edit is not None and all(
        "snz" not in b.data for row in snoozed.edit.buttons for b in row
    )
    await router.handle_button(core.deps, me, f"v:{alert.id}:esc")
    await router.handle_button(core.deps, me, f"v:{alert.id}:esc")
    (alert,) = await all_alerts(core)
    assert alert.escalation_level == 1 and alert.escalate_at is not None


async def test_only_a_coordinator_closes_a_mandatory_report(core, clock):
    await program_with_volunteer(core)
    await router.handle_text(core.deps, sender(1001), "爸爸打我")
    report = next(a for a in await all_alerts(core) if a.reason == "abuse_report")
    refused = await router.handle_button(core.deps, sender(VOLUNTEER, "en"), f"v:{report.id}:done")
    assert not refused.replies
    allowed = await router.handle_button(
        core.deps, sender(COORDINATOR, "en"), f"v:{report.id}:done"
    )
    assert allowed.replies


async def test_siblings_words_alert_only_for_the_child_who_wrote_them(core, clock):
    first = await enrol_consented_child(core, "xiaoming", child_tg=1001)
    second = await enrol_consented_child(core, "xiaohong", child_tg=1001, parent_tg=2002)
    await staff(core, Role.COORDINATOR, "Li", COORDINATOR)
    await answer_checkin(core, clock, first, 1001, mood=4, items=(1, 1, 1))
    checkin = await next_checkin(core, clock, second)
    for step in ("mood", "companionship", "left_out", "alone"):
        await router.handle_button(core.deps, sender(1001), f"c:{checkin.id}:{step}:2")
    await router.handle_text(core.deps, sender(1001), "我不想活了")
    assert [(a.child_id, a.reason) for a in await all_alerts(core)] == [(second, "crisis")]


async def test_words_after_sos_are_screened_and_reach_the_volunteer(core, clock):
    await program_with_volunteer(core)
    await router.handle_command(core.deps, sender(1001), "sos", "爸爸喝醉了就打我")
    assert "12356" in (await durable_replies(core, 1001))[-1]
    assert {a.reason for a in await all_alerts(core)} >= {"abuse_report"}  # its task opens
    clock.advance(days=1)
    await router.handle_command(core.deps, sender(1001), "sos", "I am scared\nof the dark")
    (sos,) = [a for a in await all_alerts(core) if a.reason == "sos"]
    assert sos.detail["excerpt"] == "I am scared\nof the dark"
