"""Tongban's rate limiter for python-telegram-bot: paced per chat, urgent first, 429s kept local.

PTB's `AIORateLimiter` stops every request after any 429, so one chat that floods (a stranger
sending hundreds of messages) holds up a child's urgent alert to a volunteer. Here a message
waits for its own chat's pace and a global token (`pacing.Pacer`); a 429 pauses only the chat
it came from, and when the global budget is short the most urgent waiting message goes first.

Urgent messages are never refused; ordinary ones are when a chat already has
`chat_backlog` waiting (a flood from one account, even an enrolled one), so that chat cannot
occupy every one of PTB's concurrent update handlers.

Priority travels in PTB's `rate_limit_args` as an int, higher = more urgent (the outbox row's
`priority`); replies without one rank as 0. Times are the event loop's monotonic clock: this is
transport pacing in real seconds, not the program's (injected) time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.telegram.pacing import ChatKey, PaceLimits, Pacer, Ticket

log = logging.getLogger(__name__)
DEFAULT_PRIORITY = 0
# What Telegram counts against the flood limits: methods that post or change a message.
COUNTED_METHODS = frozenset(
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
Result = bool | dict[str, Any] | list[dict[str, Any]]


def _chat_of(data: dict[str, Any]) -> ChatKey | None:
    chat = data.get("chat_id")
    if chat is None:
        return None
    with contextlib.suppress(TypeError, ValueError):
        return int(chat)
    return str(chat)


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]


class TongbanRateLimiter(BaseRateLimiter[int]):
    """A global cap and per-chat pacing for counted methods; 429 retries, a bounded number."""

    def __init__(
        self,
        limits: PaceLimits | None = None,
        max_retries: int = 3,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """`clock` (seconds, monotonic) defaults to the running event loop's."""
        self.pacer = Pacer(limits)
        self.max_retries = max_retries
        self._clock = clock
        self._turns: dict[int, tuple[Ticket, asyncio.Future[None]]] = {}
        self._timer: asyncio.TimerHandle | None = None

    async def initialize(self) -> None:
        """Nothing to set up: state is made on first use."""

    async def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        priority = rate_limit_args if isinstance(rate_limit_args, int) else DEFAULT_PRIORITY
        chat = _chat_of(data)
        counted = endpoint in COUNTED_METHODS
        if counted and priority <= DEFAULT_PRIORITY and self._flooded(chat):
            # Fail now rather than hold one of the bot's update handlers for many seconds:
            # the outbox reschedules its own; a reply to a flood is simply not sent.
            log.info("one chat has too many messages waiting; an ordinary one is refused")
            raise RetryAfter(
                math.ceil(self.pacer.backlog(chat) / self.pacer.limits.chat_per_second)
            )
        for attempt in range(self.max_retries + 1):
            ticket = await self._turn(chat, priority) if counted else None
            sent_at = self._now()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt >= self.max_retries:
                    raise
                wait = _seconds(error.retry_after)
                if not counted:  # not paced by us: only this call waits
                    await asyncio.sleep(wait)
                    continue
                self._pause(chat, wait)
            finally:
                if ticket is not None:
                    self.pacer.landed(ticket, sent_at, self._now())
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _flooded(self, chat: ChatKey | None) -> bool:
        return self.pacer.backlog(chat) >= self.pacer.limits.chat_backlog

    def _pause(self, chat: ChatKey | None, wait: float) -> None:
        """Telegram asked this chat (or, for a chat-less call, the bot) to wait."""
        until = self._now() + wait
        if chat is None:
            log.info("Telegram asked the bot to wait %.1f s", wait)
            self.pacer.pause_all(until)
        else:
            log.info("Telegram asked one chat to wait %.1f s; others go on", wait)
            self.pacer.pause_chat(chat, until)
        self._dispatch()

    async def _turn(self, chat: ChatKey | None, priority: int) -> Ticket:
        """Wait until this request may go; a cancelled waiter gives its place up."""
        ticket = self.pacer.enqueue(chat, priority)
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._turns[id(ticket)] = (ticket, turn)
        try:
            self._dispatch()
            await turn
            return ticket
        finally:
            if self._turns.pop(id(ticket), None) is not None:
                self.pacer.withdraw(ticket)
                self._dispatch()

    def _dispatch(self) -> None:
        """Let go what may go now and set a timer for when more may."""
        now = self._now()
        for ticket in self.pacer.release(now):
            found = self._turns.pop(id(ticket), None)
            if found is not None and not found[1].done():
                found[1].set_result(None)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        wake = self.pacer.next_wake(now)
        if wake is not None:
            self._timer = asyncio.get_running_loop().call_later(wake - now, self._dispatch)

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()
