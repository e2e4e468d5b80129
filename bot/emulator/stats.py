"""Counters a benchmark reads: calls per method, 429s, sends per chat and when."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from typing import Any


class EmulatorStats:
    """`send_times` holds the monotonic time of every successful rate-limited call
    (send*/edit*/copy/forward/delete) in a compact array of doubles."""

    __slots__ = ("errors", "methods", "rejected_429", "send_times", "sends_per_chat")

    def __init__(self) -> None:
        self.methods: Counter[str] = Counter()
        self.errors: Counter[int] = Counter()
        self.rejected_429 = 0
        self.sends_per_chat: Counter[int] = Counter()
        self.send_times = array("d")

    def record_send(self, chat_id: int | None, now: float) -> None:
        if chat_id is not None:
            self.sends_per_chat[chat_id] += 1
        self.send_times.append(now)

    @property
    def total_sends(self) -> int:
        return len(self.send_times)

    def sends_per_second(self, window: float | None = None) -> float:
        """Average rate over all sends, or over the last `window` seconds of them."""
        times = self.send_times
        if len(times) < 2:
            return 0.0
        first = 0 if window is None else bisect_left(times, times[-1] - window)
        span = times[-1] - times[first]
        return (len(times) - first - 1) / span if span > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "methods": dict(self.methods),
            "errors": {str(code): n for code, n in self.errors.items()},
            "rejected_429": self.rejected_429,
            "total_sends": self.total_sends,
            "chats": len(self.sends_per_chat),
            "sends_per_second": round(self.sends_per_second(), 3),
        }
