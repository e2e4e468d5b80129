"""Flood limits: a global token bucket plus one per chat, like Telegram's.

The global defaults (30 per second, burst 30) equal PTB's AIORateLimiter
(aiolimiter's leaky bucket of 30 per 1 s), so a bot throttled by it sees no
429 in steady state while a bot that bursts past it does.
"""

from __future__ import annotations

from dataclasses import dataclass

# Methods that post or change messages; only these spend tokens. sendChatAction is
# left out on purpose: it is not a message and Telegram does not count it as one.
SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendVoice",
        "sendAudio",
        "sendPhoto",
        "sendVideo",
        "sendVideoNote",
        "sendDocument",
        "sendSticker",
        "sendLocation",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
        "copyMessage",
        "forwardMessage",
        "deleteMessage",
    }
)


@dataclass(frozen=True, slots=True)
class EmulatorLimits:
    """Tunable limits; `BotAPIEmulator(limits=None)` turns rate limiting off."""

    global_per_second: float = 30
    global_burst: int = 30
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 5
    callback_query_ttl: float = 15.0
    max_text: int = 4096
    max_caption: int = 1024
    max_callback_answer: int = 200
    # A call that would need to wait at most this long is let through on credit (the
    # bucket goes negative and the debt is repaid). It absorbs network jitter between a
    # client-side limiter and this server, so the sustained rate is still the limit.
    jitter_grace: float = 0.1


DEFAULT_LIMITS = EmulatorLimits()


def _refill(tokens: float, stamp: float, now: float, rate: float, cap: float) -> float:
    return min(cap, tokens + (now - stamp) * rate)


class RateLimiter:
    """Token buckets; per-chat state is two floats in a dict to stay lean at 10,000+ chats."""

    __slots__ = ("_chats", "_g_stamp", "_g_tokens", "limits")

    def __init__(self, limits: EmulatorLimits) -> None:
        self.limits = limits
        self._g_tokens = float(limits.global_burst)
        self._g_stamp: float | None = None
        self._chats: dict[int, tuple[float, float]] = {}

    def acquire(self, chat_id: int | None, now: float) -> float:
        """Spend one global and one per-chat token; return 0, or seconds to wait if short."""
        lim = self.limits
        g_tokens = self._g_tokens
        if self._g_stamp is not None:
            g_tokens = _refill(
                g_tokens, self._g_stamp, now, lim.global_per_second, lim.global_burst
            )
        wait = 0.0
        if g_tokens < 1:
            wait = (1 - g_tokens) / lim.global_per_second
        c_tokens = float(lim.per_chat_burst)
        if chat_id is not None and chat_id in self._chats:
            tokens, stamp = self._chats[chat_id]
            c_tokens = _refill(tokens, stamp, now, lim.per_chat_per_second, lim.per_chat_burst)
        if chat_id is not None and c_tokens < 1:
            wait = max(wait, (1 - c_tokens) / lim.per_chat_per_second)
        if wait <= lim.jitter_grace:
            wait = 0.0
        # Nothing is spent on a rejection, but the refill so far is kept.
        self._g_tokens, self._g_stamp = g_tokens - (0 if wait else 1), now
        if chat_id is not None:
            self._chats[chat_id] = (c_tokens - (0 if wait else 1), now)
            if len(self._chats) > 50_000:
                self._forget_full(now)
        return wait

    def _forget_full(self, now: float) -> None:
        """Drop chats whose bucket has refilled completely: they are the same as unseen."""
        lim = self.limits
        full = [
            cid
            for cid, (tokens, stamp) in self._chats.items()
            if _refill(tokens, stamp, now, lim.per_chat_per_second, lim.per_chat_burst)
            >= lim.per_chat_burst
        ]
        for cid in full:
            del self._chats[cid]
