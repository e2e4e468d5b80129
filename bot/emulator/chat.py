"""Per-chat message log with lookups and awaitable change events.

A mixin of EmulatedUser (a private chat's id is the user's id), kept apart so
the user's actions and the chat's bookkeeping stay small and separate.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from .models import SentMessage

Predicate = Callable[[SentMessage], bool]


class _Waiter:
    __slots__ = ("future", "on_delete", "predicate")

    def __init__(self, predicate: Predicate | None, on_delete: bool) -> None:
        self.predicate = predicate
        self.on_delete = on_delete
        self.future: asyncio.Future[SentMessage] = asyncio.get_running_loop().create_future()


def _find(log: list[SentMessage], message_id: int) -> SentMessage | None:
    index = bisect_left(log, message_id, key=lambda m: m.message_id)
    if index < len(log) and log[index].message_id == message_id:
        return log[index]
    return None


class ChatLog:
    """Bot and user messages of one chat, both lists sorted by message_id."""

    __slots__ = ("_bot_log", "_next_message_id", "_user_log", "_waiters")

    def _init_log(self) -> None:
        self._bot_log: list[SentMessage] = []
        self._user_log: list[SentMessage] = []
        self._next_message_id = 1
        self._waiters: list[_Waiter] | None = None

    def next_message_id(self) -> int:
        """Ids are shared by both sides of the chat and only grow, as in Telegram."""
        message_id = self._next_message_id
        self._next_message_id += 1
        return message_id

    def add_bot_message(self, msg: SentMessage) -> None:
        self._bot_log.append(msg)
        self.notify(msg, deleted=False)

    def find(self, message_id: int) -> SentMessage | None:
        """Any message of this chat, from either side, deleted or not."""
        return _find(self._bot_log, message_id) or _find(self._user_log, message_id)

    def notify(self, msg: SentMessage, deleted: bool) -> None:
        """Wake waiters whose predicate accepts the message that was sent/edited/deleted."""
        if not self._waiters:
            return
        for waiter in list(self._waiters):
            if waiter.future.done() or (deleted and not waiter.on_delete):
                continue
            try:
                matched = waiter.predicate is None or waiter.predicate(msg)
            except Exception as exc:  # a broken predicate should fail the test, not the server
                waiter.future.set_exception(exc)
                continue
            if matched:
                waiter.future.set_result(msg)

    # ---- reading -----------------------------------------------------------------------

    @property
    def messages(self) -> list[SentMessage]:
        """The bot's messages in this chat, current state, deleted ones flagged."""
        return list(self._bot_log)

    def last_message(self) -> SentMessage | None:
        """The newest bot message that is not deleted."""
        for msg in reversed(self._bot_log):
            if not msg.deleted:
                return msg
        return None

    def keyboard_message(self, message_id: int | None = None) -> SentMessage:
        """`message_id`, or the newest live bot message with an inline keyboard."""
        if message_id is not None:
            msg = _find(self._bot_log, message_id)
            if msg is None or msg.deleted:
                raise AssertionError(f"no live bot message {message_id} in chat {self._chat_id}")
            return msg
        for msg in reversed(self._bot_log):
            if msg.inline_keyboard and not msg.deleted:
                return msg
        raise AssertionError(
            f"no bot message with an inline keyboard in chat {self._chat_id}; "
            f"messages: {self._summary()}"
        )

    def buttons(self, message_id: int | None = None) -> list[tuple[str, str | None]]:
        return self.keyboard_message(message_id).buttons()

    # ---- waiting -----------------------------------------------------------------------

    async def wait_for_message(
        self,
        predicate: Predicate | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - a test helper's deadline, as specified
    ) -> SentMessage:
        """The next bot message sent or edited after this call that matches `predicate`."""
        return await self._wait(_Waiter(predicate, on_delete=False), timeout)

    async def wait_until(
        self,
        predicate: Predicate,
        timeout: float = 5.0,  # noqa: ASYNC109 - a test helper's deadline, as specified
    ) -> SentMessage:
        """The newest message that already matches, else the first change that does."""
        for msg in reversed(self._bot_log):
            if predicate(msg):
                return msg
        return await self._wait(_Waiter(predicate, on_delete=True), timeout)

    async def _wait(self, waiter: _Waiter, seconds: float) -> SentMessage:
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter.future, seconds)
        except TimeoutError:
            raise AssertionError(
                f"no matching bot message within {seconds}s in chat {self._chat_id}; "
                f"messages: {self._summary()}"
            ) from None
        finally:
            self._waiters.remove(waiter)
            if not self._waiters:
                self._waiters = None

    def _summary(self) -> list[dict[str, Any]]:
        return [
            {
                "message_id": m.message_id,
                "kind": m.kind,
                "text": m.text if m.kind == "text" else m.caption,
                "buttons": m.buttons(),
                "deleted": m.deleted,
            }
            for m in self._bot_log[-10:]
        ]

    @property
    def _chat_id(self) -> int:
        raise NotImplementedError
