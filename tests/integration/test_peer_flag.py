"""The standing "consistently lonely" flag: stored once, shown to the child's volunteer and the
coordinators (/mychildren, /child, /flagged), never pushed and never shown to family."""

from __future__ import annotations

from bot.adapters.db.models import ChildProfile
from bot.services.entry import router
from bot.services.formatting import local_date
from tests.helpers import (
    COORDINATOR_TG,
    VOLUNTEER_TG,
    all_alerts,
    answer_checkin,
    outbox_rows,
    program_with_volunteer,
    sender,
)

FLAG_LINE = "consistently lonely: consider for a peer group"
# Score 7 or 8 of 9 with a neutral face: usual 7.5, well above the flag's line (6), never the
# high-loneliness alert (9 of 9, and only for a usually calm child), so only the flag can come.
STEADILY_LONELY = [(3, (3, 2, 2)), (3, (3, 3, 2))]


async def _flagged_child(core, clock) -> int:
    child_id = await program_with_volunteer(core)
    for n in range(12):  # the flag needs twelve complete check-ins
        mood, items = STEADILY_LONELY[n % 2]
        await answer_checkin(core, clock, child_id, 1001, mood=mood, items=items)
    return child_id


async def _reply(core, tg: int, command: str, text: str = "") -> str:
    outcome = await router.handle_command(core.deps, sender(tg, "en"), command, text)
    return outcome.replies[0].text


async def test_a_steadily_lonely_child_is_flagged_once_and_no_one_is_pushed(core, clock):
    before = len(await outbox_rows(core))
    child_id = await _flagged_child(core, clock)
    async with core.deps.stores.sessions() as session:
        flagged_at = (await session.get(ChildProfile, child_id)).lonely_flagged_at
    assert flagged_at is not None
    assert await all_alerts(core) == []
    rows = (await outbox_rows(core))[before:]
    assert [r for r in rows if r.chat_id in (VOLUNTEER_TG, COORDINATOR_TG)] == []  # no push
    family = [r.body["text"] for r in rows if r.chat_id == 2001]  # nudges, weekly updates
    assert family and not any("同伴小组" in t or "孤单" in t for t in family)

    for _ in range(4):  # more of the same: the flag stays as it was
        await answer_checkin(core, clock, child_id, 1001, mood=3, items=(3, 3, 2))
    async with core.deps.stores.sessions() as session:
        assert (await session.get(ChildProfile, child_id)).lonely_flagged_at == flagged_at


async def test_the_flag_shows_in_the_staff_views_with_its_date(core, clock):
    child_id = await _flagged_child(core, clock)
    async with core.deps.stores.sessions() as session:
        flagged_at = (await session.get(ChildProfile, child_id)).lonely_flagged_at
    day = local_date(core.deps, flagged_at, "Asia/Shanghai", "en")  # e.g. "Dec 9, 2026"
    for tg in (VOLUNTEER_TG, COORDINATOR_TG):
        assert f"{FLAG_LINE} (since {day})" in await _reply(core, tg, "mychildren")
        record = await _reply(core, tg, "child", "xiaoming")
        assert f"Consistently lonely: consider for a peer group (flagged {day})" in record
    flagged = await _reply(core, COORDINATOR_TG, "flagged")
    assert f"xiaoming</b> since {day} (volunteer: Wang)" in flagged


async def test_only_coordinators_may_list_flagged_children(core, clock):
    await _flagged_child(core, clock)
    for tg in (VOLUNTEER_TG, 2001, 1001):  # volunteer, parent, child
        refused = await _reply(core, tg, "flagged")
        assert "/help" in refused and "xiaoming" not in refused  # an unknown command to them
    assert "/flagged" in await _reply(core, COORDINATOR_TG, "help")
    assert "/flagged" not in await _reply(core, VOLUNTEER_TG, "help")


async def test_no_flag_no_line(core, clock):
    child_id = await program_with_volunteer(core)
    await answer_checkin(core, clock, child_id, 1001, mood=4, items=(1, 1, 1))
    assert FLAG_LINE not in await _reply(core, VOLUNTEER_TG, "mychildren")
    assert "peer group" not in await _reply(core, VOLUNTEER_TG, "child", "xiaoming")
    assert "No child is flagged" in await _reply(core, COORDINATOR_TG, "flagged")
