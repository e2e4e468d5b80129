"""A simulated Telegram user: what they send to the bot and what they see back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .chat import ChatLog
from .html_entities import utf16_len
from .media import build_media
from .models import SentMessage, _now
from .render import message_dict, user_dict

if TYPE_CHECKING:
    from .state import EmulatorState


class EmulatedUser(ChatLog):
    """One user and their private chat with the bot (chat id == user id)."""

    __slots__ = (
        "_state",
        "blocked",
        "callback_answers",
        "first_name",
        "id",
        "language_code",
        "started",
        "username",
    )

    def __init__(
        self,
        state: EmulatorState,
        user_id: int,
        first_name: str = "Test",
        username: str | None = None,
        language_code: str | None = "zh-hans",
        started: bool = True,
    ) -> None:
        self._state = state
        self.id = user_id
        self.first_name = first_name
        self.username = username
        self.language_code = language_code
        self.started = started
        self.blocked = False
        self.callback_answers: list[dict[str, Any]] = []
        self._init_log()

    def __repr__(self) -> str:
        return f"EmulatedUser(id={self.id}, first_name={self.first_name!r})"

    @property
    def _chat_id(self) -> int:
        return self.id

    # ---- sending -----------------------------------------------------------------------

    async def send_text(self, text: str) -> dict[str, Any]:
        """Queue a text message; a leading /command gets its bot_command entity."""
        msg = SentMessage(0, self.id, kind="text", from_bot=False, text=text)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            msg.entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self._deliver(msg)

    async def send_command(self, command: str, payload: str | None = None) -> dict[str, Any]:
        """`/start CODE` style: the deep-link payload follows the command after a space."""
        text = "/" + command.lstrip("/")
        if payload:
            text += " " + payload
        return await self.send_text(text)

    async def send_sticker(self, emoji: str = "👍") -> dict[str, Any]:
        return self._send_media("sticker", emoji=emoji)

    async def send_voice(self, duration: int = 3) -> dict[str, Any]:
        return self._send_media("voice", duration=duration)

    async def send_photo(self, caption: str | None = None) -> dict[str, Any]:
        return self._send_media("photo", caption=caption)

    async def send_video_note(self, duration: int = 5) -> dict[str, Any]:
        return self._send_media("video_note", duration=duration)

    async def send_document(
        self, file_name: str = "report.pdf", mime_type: str = "application/pdf"
    ) -> dict[str, Any]:
        return self._send_media("document", file_name=file_name, mime_type=mime_type)

    async def send_location(
        self, latitude: float = 31.2304, longitude: float = 121.4737
    ) -> dict[str, Any]:
        msg = SentMessage(0, self.id, kind="location", from_bot=False)
        msg.media = {"latitude": latitude, "longitude": longitude}
        return self._deliver(msg)

    def _send_media(self, kind: str, caption: str | None = None, **opts: Any) -> dict[str, Any]:
        files = self._state.files
        record = files.new(kind)
        msg = SentMessage(0, self.id, kind=kind, from_bot=False, caption=caption)
        msg.media = build_media(kind, files, record, opts)
        msg.file_id, msg.file_unique_id = record.file_id, record.file_unique_id
        return self._deliver(msg)

    def _deliver(self, msg: SentMessage) -> dict[str, Any]:
        msg.message_id = self.next_message_id()
        msg.date = _now()
        self._user_log.append(msg)
        self.started = True
        payload = message_dict(msg, self, self._state.bot)
        return self._state.push_update("message", payload)

    # ---- buttons -----------------------------------------------------------------------

    async def tap(self, data: str, message_id: int | None = None) -> str:
        """Press a button carrying `data` (not checked against the keyboard, so tests
        can forge one) on `message_id` or the newest keyboard; returns the query id."""
        msg = self.keyboard_message(message_id)
        query_id = self._state.new_callback_query(self.id)
        self.started = True
        self._state.push_update(
            "callback_query",
            {
                "id": query_id,
                "from": user_dict(self),
                "message": message_dict(msg, self, self._state.bot),
                "chat_instance": str(7_000_000_000_000 + self.id),
                "data": data,
            },
        )
        return query_id

    async def tap_button(self, text_contains: str, message_id: int | None = None) -> str:
        """Press the first button whose visible text contains `text_contains`."""
        msg = self.keyboard_message(message_id)
        for text, data in msg.buttons():
            if text_contains in text and data is not None:
                return await self.tap(data, msg.message_id)
        raise AssertionError(
            f"no callback button containing {text_contains!r} on message {msg.message_id} "
            f"in chat {self.id}; buttons: {msg.buttons()}"
        )

    # ---- blocking ----------------------------------------------------------------------

    def block(self) -> None:
        """From now on every sending method to this chat answers 403."""
        self.blocked = True

    def unblock(self) -> None:
        self.blocked = False
