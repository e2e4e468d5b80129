"""Compact records of what happened in a chat; rendered to Telegram JSON on demand.

Storing small slotted objects instead of full Message dicts keeps 10,000+
chats well within memory, and lets tests read the current state directly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any


def _now() -> int:
    """Unix time for message dates only; nothing in the emulator computes with it."""
    return int(time.time())  # clock-ok


@dataclass(slots=True, eq=False)
class SentMessage:
    """One message in a private chat, in its current state after edits.

    `text`/`caption` hold what the user sees (HTML already parsed); `source` keeps
    what the bot sent. `media` is the Telegram object for `kind` (a dict, or a list
    of PhotoSize for photos). `from_bot` is False for the user's own messages.
    """

    message_id: int
    chat_id: int
    kind: str = "text"
    date: int = 0
    from_bot: bool = True
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    source: str | None = None
    entities: list[dict[str, Any]] | None = None
    reply_markup: dict[str, Any] | None = None
    media: Any = None
    file_id: str | None = None
    file_unique_id: str | None = None
    extra: dict[str, Any] | None = None
    edits: int = 0
    edit_date: int | None = None
    deleted: bool = False

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        markup = self.reply_markup or {}
        return markup.get("inline_keyboard") or []

    def buttons(self) -> list[tuple[str, str | None]]:
        """(visible text, callback_data) for every inline button; url buttons give None."""
        return [
            (button.get("text", ""), button.get("callback_data"))
            for row in self.inline_keyboard
            for button in row
        ]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON for the control API."""
        fields = (
            "message_id", "chat_id", "kind", "date", "from_bot", "text", "caption",
            "parse_mode", "source", "entities", "reply_markup", "media", "file_id",
            "file_unique_id", "extra", "edits", "edit_date", "deleted",
        )  # fmt: skip
        return {name: getattr(self, name) for name in fields}


@dataclass(slots=True, eq=False)
class FileRecord:
    """A file known to the emulator: made up for a user or uploaded by the bot."""

    file_id: str
    file_unique_id: str
    kind: str
    size: int
    path: str
    content: bytes | None = None

    def as_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.path,
        }
