"""One stranger's flood must not hold up a child's urgent alert (issue 9, item 4).

Found by a black-box probe: 300 `/start <random>` from one unenrolled account delayed the alert
from 0.06 s to 47 s, and 100 "hi" to 3 s, because every stranger message got a reply and PTB's
AIORateLimiter paused every request after the emulator's first 429 in the stranger's chat.
Now the core answers a stranger only a few times and our rate limiter paces chats apart.
"""

from __future__ import annotations

import asyncio
import secrets

import pytest

from tests.e2e.conftest import Harness, listen
from tests.e2e.test_alerts import _with_volunteer

pytestmark = pytest.mark.timing  # latencies: run alone, not beside another worker (Makefile)

MAX_ALERT_SECONDS = 1.0  # unflooded it takes about 0.15 s here
ENROLLED_FLOOD_SECONDS = 5.0


async def _alert_seconds(h: Harness, child, volunteer) -> float:
    """From the child's crisis words to the urgent alert on the volunteer's phone."""
    loop = asyncio.get_running_loop()
    alert = await listen(volunteer, lambda m: "URGENT" in (m.text or ""), seconds=20)
    sent_at = loop.time()
    await child.send_text("I want to kill myself")
    await alert
    return loop.time() - sent_at


async def _quiet(user, seconds: float = 1.5, limit: float = 15.0) -> int:
    """How many messages the bot sent `user` once it has stopped for `seconds`."""
    loop = asyncio.get_running_loop()
    deadline, count, since = loop.time() + limit, -1, loop.time()
    while loop.time() < deadline:
        if len(user.messages) != count:
            count, since = len(user.messages), loop.time()
        elif loop.time() - since >= seconds:
            break
        await asyncio.sleep(0.05)
    return count


async def test_a_flood_of_wrong_invites_does_not_delay_the_urgent_alert(harness):
    h = harness
    _coordinator, child, volunteer = await _with_volunteer(h)
    stranger = h.emulator.user(6666, first_name="Probe", language_code="en")
    for _ in range(300):
        await stranger.send_command("start", secrets.token_urlsafe(16))
    assert await _alert_seconds(h, child, volunteer) < MAX_ALERT_SECONDS
    replies = await _quiet(stranger)
    tries = h.settings.invite_tries_per_hour
    texts = [m.text or "" for m in stranger.messages]
    assert replies == tries + 1  # a few "does not work", one "too many tries", then silence
    assert sum("does not work" in text for text in texts) == tries
    assert sum("wait an hour" in text for text in texts) == 1
    assert h.emulator.stats.rejected_429 == 0


async def test_a_flood_of_hellos_does_not_delay_the_urgent_alert(harness):
    h = harness
    _coordinator, child, volunteer = await _with_volunteer(h)
    stranger = h.emulator.user(6667, first_name="Probe", language_code="en")
    for _ in range(100):
        await stranger.send_text("hi")
    assert await _alert_seconds(h, child, volunteer) < MAX_ALERT_SECONDS
    assert await _quiet(stranger) == h.settings.stranger_replies
    assert h.emulator.stats.rejected_429 == 0  # paced: Telegram never had to say wait


async def test_an_enrolled_account_flooding_holds_up_the_urgent_alert_only_briefly(harness):
    """Staff are answered every time (no allowance), so the rate limiter refuses the replies
    their chat cannot take soon rather than let them occupy every update handler. What is left
    is the core's own work on 300 messages (about 1 s on two shared cores), so the bound here
    is looser than for strangers."""
    h = harness
    coordinator, child, volunteer = await _with_volunteer(h)
    for _ in range(300):
        await coordinator.send_text("hi")
    assert await _alert_seconds(h, child, volunteer) < ENROLLED_FLOOD_SECONDS
