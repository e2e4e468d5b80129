"""Which waiting request may go to Telegram now: bookkeeping only, the time passed in.

Telegram counts messages twice: about 30 a second for the whole bot, and about one a second in
any one chat (a short burst allowed). So a request waits for a token from its chat's bucket and
one from the global bucket. A chat that is paced, or paused by a 429, holds up only its own
requests; when the global bucket is short, the most urgent ready request takes the next token.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field

ChatKey = int | str
MAX_IDLE_CHATS = 10_000  # past this, chats whose bucket is full again are forgotten


@dataclass(frozen=True)
class PaceLimits:
    per_second: float = 30.0
    burst: int = 20
    chat_per_second: float = 1.0
    chat_burst: int = 5
    chat_backlog: int = 10
    """More than this many ordinary requests waiting for one chat is a flood: refused at once
    (see `TongbanRateLimiter`), so it cannot hold every update handler of the bot."""

    def __post_init__(self) -> None:
        if min(self.per_second, self.chat_per_second) <= 0 or min(self.burst, self.chat_burst) < 1:
            raise ValueError("rates must be positive and bursts at least 1")


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    paused_until: float = 0.0

    def level(self, now: float, rate: float, cap: int) -> float:
        tokens = min(float(cap), self.tokens + max(0.0, now - self.stamp) * rate)
        nearest = round(tokens)
        self.tokens = float(nearest) if abs(tokens - nearest) < 1e-9 else tokens  # float dust
        self.stamp = max(self.stamp, now)
        return self.tokens

    def ready_at(self, now: float, rate: float) -> float:
        """When this bucket next has a whole token and is not paused (after `level`)."""
        short = max(0.0, 1 - self.tokens)
        return max(self.paused_until, now + short / rate)


@dataclass(order=True)
class Ticket:
    """One request waiting for its turn; more urgent (higher priority) first, then oldest."""

    order: tuple[int, int]
    chat: ChatKey | None = field(compare=False)
    from_full: bool = field(default=False, compare=False)  # let go from a full chat bucket


class Pacer:
    def __init__(self, limits: PaceLimits | None = None) -> None:
        self.limits = limits or PaceLimits()
        self._global = _Bucket(float(self.limits.burst), 0.0)
        self._global_started = False
        self._chats: dict[ChatKey, _Bucket] = {}
        self._waiting: list[Ticket] = []
        self._backlog: dict[ChatKey, int] = {}
        self._seq = itertools.count()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def backlog(self, chat: ChatKey | None) -> int:
        """How many requests wait for this chat."""
        return self._backlog.get(chat, 0) if chat is not None else 0

    def enqueue(self, chat: ChatKey | None, priority: int) -> Ticket:
        ticket = Ticket((-priority, next(self._seq)), chat)
        bisect.insort(self._waiting, ticket)
        if chat is not None:
            self._backlog[chat] = self._backlog.get(chat, 0) + 1
        return ticket

    def withdraw(self, ticket: Ticket) -> None:
        """A waiter gave up (cancelled): it no longer holds a place."""
        index = bisect.bisect_left(self._waiting, ticket)
        if index < len(self._waiting) and self._waiting[index] is ticket:
            del self._waiting[index]
            if ticket.chat is not None:
                left = self._backlog.pop(ticket.chat) - 1
                if left:
                    self._backlog[ticket.chat] = left

    def landed(self, ticket: Ticket, sent_at: float, now: float) -> None:
        """The request `ticket` let go at `sent_at` is answered now.

        Telegram counted it when it arrived, somewhere in between. If it was the one that
        took a full bucket below full, Telegram's refill started only then while ours started
        at `sent_at`: taking that flight time back keeps our count never ahead of Telegram's
        (a slow first message of a burst would otherwise earn the last one a 429).
        """
        if ticket.chat is None or not ticket.from_full:
            return
        lim = self.limits
        bucket = self._chat(ticket.chat, now)
        bucket.level(now, lim.chat_per_second, lim.chat_burst)
        bucket.tokens -= max(0.0, now - sent_at) * lim.chat_per_second

    def pause_chat(self, chat: ChatKey, until: float) -> None:
        bucket = self._chat(chat, until)
        bucket.paused_until = max(bucket.paused_until, until)

    def pause_all(self, until: float) -> None:
        self._global.paused_until = max(self._global.paused_until, until)

    def release(self, now: float) -> list[Ticket]:
        """Take tokens for every request that may go now, most urgent first."""
        lim = self.limits
        self._start(now)
        if now < self._global.paused_until:
            return []
        granted: list[Ticket] = []
        for ticket in list(self._waiting):
            if self._global.level(now, lim.per_second, lim.burst) < 1:
                break
            chat = self._chat(ticket.chat, now) if ticket.chat is not None else None
            if chat is not None:
                if (
                    now < chat.paused_until
                    or chat.level(now, lim.chat_per_second, lim.chat_burst) < 1
                ):
                    continue  # this chat waits; others need not
                ticket.from_full = chat.tokens >= lim.chat_burst
                chat.tokens -= 1
            self._global.tokens -= 1
            self.withdraw(ticket)
            granted.append(ticket)
        self._forget_idle(now)
        return granted

    def next_wake(self, now: float) -> float | None:
        """When `release` may grant something again; None when nothing waits."""
        if not self._waiting:
            return None
        lim = self.limits
        self._global.level(now, lim.per_second, lim.burst)
        global_ready = self._global.ready_at(now, lim.per_second)
        chat_ready = min(self._chat_ready(ticket.chat, now) for ticket in self._waiting)
        return max(global_ready, chat_ready, now + 0.001)

    def _chat_ready(self, chat: ChatKey | None, now: float) -> float:
        if chat is None:
            return now
        bucket = self._chat(chat, now)
        bucket.level(now, self.limits.chat_per_second, self.limits.chat_burst)
        return bucket.ready_at(now, self.limits.chat_per_second)

    def _start(self, now: float) -> None:
        if not self._global_started:  # the first request finds a full bucket
            self._global.stamp, self._global_started = now, True

    def _chat(self, chat: ChatKey, now: float) -> _Bucket:
        bucket = self._chats.get(chat)
        if bucket is None:
            bucket = self._chats[chat] = _Bucket(float(self.limits.chat_burst), now)
        return bucket

    def _forget_idle(self, now: float) -> None:
        """A chat whose bucket is full and unpaused is the same as one never seen."""
        if len(self._chats) <= MAX_IDLE_CHATS:
            return
        lim = self.limits
        for key, bucket in list(self._chats.items()):
            full = bucket.level(now, lim.chat_per_second, lim.chat_burst) >= lim.chat_burst
            if full and bucket.paused_until <= now:
                del self._chats[key]
