"""The highest message id this process has seen in each chat, from every Bot API answer.

A check-in's first claim notes it as the floor above which a copy lost in a crash would lie
(see bot.domain.resend). Replies sent straight from a handler and the child's own messages
are never written to the database; seeing them here keeps them below the floor, so a later
clean-up never takes their buttons away.
"""

from __future__ import annotations

from typing import Any

from telegram.request import HTTPXRequest


class ChatMarks:
    """chat id -> highest message id seen; two ints per chat, so cheap at 10,000 chats."""

    def __init__(self) -> None:
        self._highest: dict[int, int] = {}

    def highest(self, chat_id: int) -> int | None:
        return self._highest.get(chat_id)

    def saw(self, chat_id: int, message_id: int) -> None:
        if message_id > self._highest.get(chat_id, 0):
            self._highest[chat_id] = message_id

    def observe(self, result: Any) -> None:
        """Note the messages in one answer: a sent or edited Message, or a list of updates."""
        if isinstance(result, list):
            for update in result:
                if isinstance(update, dict):
                    for part in update.values():
                        self._note(part)
                        if isinstance(part, dict):
                            self._note(part.get("message"))  # a callback query's message
        else:
            self._note(result)

    def _note(self, message: Any) -> None:
        if not isinstance(message, dict):
            return
        chat, message_id = message.get("chat"), message.get("message_id")
        if (
            isinstance(chat, dict)
            and isinstance(chat.get("id"), int)
            and isinstance(message_id, int)
        ):
            self.saw(chat["id"], message_id)


class MarkingRequest(HTTPXRequest):
    """PTB's HTTP request that also tells ChatMarks about every message in an answer."""

    def __init__(self, marks: ChatMarks, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.marks = marks

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:
        data = super().parse_json_payload(payload)
        if isinstance(data, dict) and data.get("ok"):
            self.marks.observe(data.get("result"))
        return data
