"""Words the crisis screen is unsure of: the volunteer is asked, not urgently, to read them;
the child gets the ordinary reply; nothing urgent is raised and no coordinator is woken."""

from __future__ import annotations

import dataclasses

import pytest

from bot.adapters.dialogs import load_crisis_model
from bot.services.entry import router
from tests.helpers import (
    COORDINATOR_TG,
    VOLUNTEER_TG,
    alert_rows,
    all_alerts,
    durable_replies,
    outbox_rows,
    program_with_volunteer,
    sender,
)

# The screen's model with its band widened to everything the lexicon leaves: any words that
# are not crisis words fall in the middle band, whatever the model learnt.
UNSURE = dataclasses.replace(load_crisis_model(), low=1e-9, high=1 - 1e-9)


@pytest.fixture
def unsure_screen(core):
    """The screen's data is handed to the core at start: this core gets the unsure model."""
    core.deps.dialogs = dataclasses.replace(core.deps.dialogs, crisis_model=UNSURE)


async def test_middle_band_words_go_to_the_volunteer_to_read_and_nothing_urgent(
    core, clock, unsure_screen
):
    await program_with_volunteer(core)
    words = "最近总是睡不着 <b>不想说</b>"
    reply = await router.handle_text(core.deps, sender(1001), words)
    ordinary = core.deps.texts.render("free_text", "zh_CN", child=True)
    assert [m.text for m in reply.replies] == [ordinary]  # not the crisis reply
    assert not reply.delete_incoming  # as for any free words outside a check-in
    assert not await durable_replies(core, 1001)  # no hotlines shown to the child
    (alert,) = await all_alerts(core)
    assert (alert.reason, alert.severity) == ("please_read", "alert")
    rows = await outbox_rows(core)
    assert not alert_rows(rows, COORDINATOR_TG)  # not urgent: the volunteer alone
    (notice,) = alert_rows(rows, VOLUNTEER_TG)
    text = notice.body["text"]
    assert "URGENT" not in text and "紧急" not in text
    assert "最近总是睡不着 &lt;b&gt;不想说&lt;/b&gt;" in text  # the words, escaped
    assert "please read it" in text  # the volunteer reads English


async def test_more_words_to_read_are_sent_while_the_first_still_waits(core, clock, unsure_screen):
    await program_with_volunteer(core)
    await router.handle_text(core.deps, sender(1001), "今天又一个人吃饭")
    clock.advance(minutes=10)
    await router.handle_text(core.deps, sender(1001), "没人陪我说话")
    notices = alert_rows(await outbox_rows(core), VOLUNTEER_TG)
    assert len(notices) == 2  # not swallowed by the unacknowledged first one
    assert "没人陪我说话" in notices[-1].body["text"]
    assert [a.reason for a in await all_alerts(core)] == ["please_read"]


async def test_crisis_words_stay_urgent_whatever_the_model_says(core, clock, unsure_screen):
    await program_with_volunteer(core)
    await router.handle_text(core.deps, sender(1001), "我不想活了")
    assert [(a.reason, a.severity) for a in await all_alerts(core)] == [("crisis", "urgent")]
    assert "12356" in (await durable_replies(core, 1001))[-1]
