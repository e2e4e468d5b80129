"""Tongban's rate limiter: chats paced apart, urgent first, a 429 pausing only its chat."""

from __future__ import annotations

import asyncio

import pytest
from telegram.error import RetryAfter

from bot.emulator.limits import SENDING_METHODS
from bot.telegram.pacing import PaceLimits, Pacer
from bot.telegram.rate_limit import COUNTED_METHODS, TongbanRateLimiter


def test_counted_methods_are_the_ones_telegram_counts():
    assert COUNTED_METHODS == SENDING_METHODS


def test_a_chat_past_its_burst_waits_and_others_do_not():
    pacer = Pacer(PaceLimits(per_second=30, burst=30, chat_per_second=1, chat_burst=3))
    for _ in range(5):
        pacer.enqueue(1, 0)
    pacer.enqueue(2, 0)
    assert [t.chat for t in pacer.release(0.0)] == [1, 1, 1, 2]
    assert pacer.next_wake(0.0) == pytest.approx(1.0)
    assert pacer.release(0.5) == []
    assert [t.chat for t in pacer.release(1.0)] == [1]
    assert [t.chat for t in pacer.release(2.0)] == [1]
    assert pacer.next_wake(2.0) is None


def test_when_the_global_budget_is_short_the_most_urgent_goes_first():
    pacer = Pacer(PaceLimits(per_second=10, burst=1, chat_per_second=1, chat_burst=3))
    for priority in (0, 2, 1, 3):
        pacer.enqueue(100 + priority, priority)
    pacer.enqueue(None, 0)  # as urgent as the oldest, so after it
    released: list[tuple[object, float]] = []
    now: float | None = 0.0
    while now is not None:
        released += [(t.chat, now) for t in pacer.release(now)]
        now = pacer.next_wake(now)
    assert [chat for chat, _ in released] == [103, 102, 101, 100, None]
    assert released[-1][1] == pytest.approx(0.4)  # one token each 0.1 s after the first


def test_a_paused_chat_holds_up_only_itself():
    pacer = Pacer(PaceLimits(chat_burst=3))
    pacer.pause_chat(1, until=5.0)
    pacer.enqueue(1, 3)
    pacer.enqueue(2, 0)
    assert [t.chat for t in pacer.release(0.0)] == [2]
    assert pacer.next_wake(0.0) == pytest.approx(5.0)
    assert [t.chat for t in pacer.release(5.0)] == [1]


def test_a_global_pause_holds_up_everyone():
    pacer = Pacer()
    pacer.pause_all(until=2.0)
    pacer.enqueue(1, 3)
    assert pacer.release(1.9) == []
    assert pacer.next_wake(1.0) == pytest.approx(2.0)
    assert len(pacer.release(2.0)) == 1


def test_a_withdrawn_ticket_is_gone():
    pacer = Pacer()
    first, second = pacer.enqueue(1, 0), pacer.enqueue(2, 0)
    pacer.withdraw(first)
    pacer.withdraw(first)  # twice is harmless
    assert pacer.release(0.0) == [second]


class FakeTelegram:
    """A callback that records when each call ran and answers 429 where it is told to."""

    def __init__(self, limited: dict[int | None, int] | None = None) -> None:
        self.calls: list[tuple[int | None, str, float]] = []
        self.limited = dict(limited or {})

    def call(self, chat: int | None, label: str = ""):
        async def callback() -> bool:
            self.calls.append((chat, label, asyncio.get_running_loop().time()))
            if self.limited.get(chat, 0) > 0:
                self.limited[chat] -= 1
                raise RetryAfter(1)
            return True

        return callback


async def _send(limiter, telegram, chat, priority=None, endpoint="sendMessage", label=""):
    data = {"chat_id": chat} if chat is not None else {}
    callback = telegram.call(chat, label)
    return await limiter.process_request(callback, (), {}, endpoint, data, priority)


@pytest.mark.timing
async def test_a_429_pauses_only_that_chat():
    limiter = TongbanRateLimiter(max_retries=3)
    telegram = FakeTelegram(limited={1: 1})
    start = asyncio.get_running_loop().time()
    flooded = asyncio.create_task(_send(limiter, telegram, 1))
    await asyncio.sleep(0.05)  # chat 1 has had its 429 and waits
    assert await _send(limiter, telegram, 2, priority=2) is True
    assert asyncio.get_running_loop().time() - start < 0.5  # not held up by chat 1's pause
    assert await flooded is True
    chat_one = [when for chat, _, when in telegram.calls if chat == 1]
    assert len(chat_one) == 2 and chat_one[1] - chat_one[0] >= 0.99


async def test_retries_are_bounded():
    limiter = TongbanRateLimiter(max_retries=1)
    telegram = FakeTelegram(limited={None: 5})
    with pytest.raises(RetryAfter):
        await _send(limiter, telegram, None, endpoint="answerCallbackQuery")
    assert len(telegram.calls) == 2


@pytest.mark.timing  # a stall of 20 ms (one refill) while the six line up changes the order
async def test_urgent_requests_overtake_waiting_ones_for_the_global_budget():
    limiter = TongbanRateLimiter(PaceLimits(per_second=50, burst=1))
    telegram = FakeTelegram()
    sends = [
        asyncio.create_task(_send(limiter, telegram, 10 + n, priority=p, label=f"p{p}"))
        for n, p in enumerate((0, 0, 0, 1, 0, 2))
    ]
    await asyncio.gather(*sends)
    order = [label for _, label, _ in telegram.calls]
    assert order[0] == "p0"  # the first found a token at once
    assert order[1:3] == ["p2", "p1"]


@pytest.mark.timing
async def test_methods_telegram_does_not_count_are_not_paced():
    limiter = TongbanRateLimiter(PaceLimits(per_second=1, burst=1, chat_burst=1))
    telegram = FakeTelegram()
    start = asyncio.get_running_loop().time()
    for _ in range(10):
        await _send(limiter, telegram, 5, endpoint="answerCallbackQuery")
    assert asyncio.get_running_loop().time() - start < 0.2


async def test_a_cancelled_waiter_gives_up_its_place():
    limiter = TongbanRateLimiter(PaceLimits(per_second=10, burst=1))
    telegram = FakeTelegram()
    await _send(limiter, telegram, 1)
    waiting = asyncio.create_task(_send(limiter, telegram, 2, label="cancelled"))
    await asyncio.sleep(0.01)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert limiter.pacer.waiting == 0
    await _send(limiter, telegram, 3, label="next")
    assert [label for _, label, _ in telegram.calls] == ["", "next"]
    await limiter.shutdown()


def test_a_slow_first_message_of_a_burst_delays_the_next_by_its_flight():
    """Telegram's bucket starts refilling when the first message arrives, not when we let it
    go; our count must never run ahead of Telegram's."""
    pacer = Pacer(PaceLimits(chat_per_second=1, chat_burst=2))
    first, second = pacer.enqueue(1, 0), pacer.enqueue(1, 0)
    assert pacer.release(0.0) == [first, second]
    pacer.landed(first, sent_at=0.0, now=0.3)  # it took 0.3 s to reach Telegram and back
    pacer.landed(second, sent_at=0.0, now=0.3)  # not from a full bucket: no change
    pacer.enqueue(1, 0)
    assert pacer.next_wake(0.3) == pytest.approx(1.3)


@pytest.mark.timing
async def test_a_flooded_chat_refuses_ordinary_requests_at_once_but_never_urgent_ones():
    limiter = TongbanRateLimiter(PaceLimits(chat_burst=1, chat_backlog=3))
    telegram = FakeTelegram()
    await _send(limiter, telegram, 1)  # spends the chat's burst: the next ones wait
    waiting = [asyncio.create_task(_send(limiter, telegram, 1)) for _ in range(3)]
    await asyncio.sleep(0.01)
    assert limiter.pacer.backlog(1) == 3
    start = asyncio.get_running_loop().time()
    with pytest.raises(RetryAfter):
        await _send(limiter, telegram, 1)
    assert asyncio.get_running_loop().time() - start < 0.05
    urgent = asyncio.create_task(_send(limiter, telegram, 1, priority=2, label="urgent"))
    assert await _send(limiter, telegram, 2) is True  # other chats are not affected
    await asyncio.sleep(1.1)
    assert [label for _, label, _ in telegram.calls][-1] == "urgent"  # ahead of the three
    for task in (*waiting, urgent):
        task.cancel()
    await asyncio.gather(*waiting, urgent, return_exceptions=True)
    assert limiter.pacer.backlog(1) == 0
    await limiter.shutdown()
