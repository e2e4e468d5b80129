"""Bot API methods that post new messages: sendMessage, media, copy, forward, actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .content import parse_caption, parse_text, reply_extra, resolve_file
from .errors import COPY_NOT_FOUND, FORWARD_NOT_FOUND, ApiError
from .markup import validate_markup
from .media import build_media
from .models import SentMessage, _now
from .render import message_dict, user_dict

if TYPE_CHECKING:
    from .params import Call
    from .state import EmulatorState
    from .user import EmulatedUser

Handler = Callable[["EmulatorState", "Call"], Awaitable[Any]]
_NO_CAPTION = frozenset({"sticker", "video_note"})


def _post(
    state: EmulatorState, chat: EmulatedUser, call: Call, msg: SentMessage
) -> dict[str, Any]:
    """Spend the flood tokens last, so rejected calls cost nothing, then store and echo."""
    extra = reply_extra(state, chat, call)
    state.spend(call.method, chat.id)
    msg.message_id = chat.next_message_id()
    msg.date = _now()
    msg.entities, msg.reply_markup = state.intern(msg.entities), state.intern(msg.reply_markup)
    if extra:
        msg.extra = {**(msg.extra or {}), **extra}
    chat.add_bot_message(msg)
    return message_dict(msg, chat, state.bot)


async def send_message(state: EmulatorState, call: Call) -> Any:
    chat = state.sendable(call.get("chat_id"))
    text, entities = parse_text(state, call)
    msg = SentMessage(0, chat.id, "text", text=text, entities=entities)
    msg.parse_mode, msg.source = call.get("parse_mode"), call.get("text")
    msg.reply_markup = validate_markup(call.get("reply_markup"))
    return _post(state, chat, call, msg)


def _media_sender(kind: str) -> Handler:
    async def send_media(state: EmulatorState, call: Call) -> Any:
        chat = state.sendable(call.get("chat_id"))
        record = resolve_file(state, call, kind)
        msg = SentMessage(0, chat.id, kind)
        if kind not in _NO_CAPTION:
            msg.caption, msg.entities = parse_caption(state, call)
            msg.parse_mode, msg.source = call.get("parse_mode"), call.get("caption")
        msg.reply_markup = validate_markup(call.get("reply_markup"))
        msg.media = build_media(kind, state.files, record, call.params)
        msg.file_id, msg.file_unique_id = record.file_id, record.file_unique_id
        return _post(state, chat, call, msg)

    send_media.__name__ = f"send_{kind}"
    return send_media


async def send_location(state: EmulatorState, call: Call) -> Any:
    chat = state.sendable(call.get("chat_id"))
    try:
        lat, lon = float(call.require("latitude")), float(call.require("longitude"))
    except ValueError:
        raise ApiError(400, "Bad Request: wrong location specified") from None
    msg = SentMessage(0, chat.id, "location", media={"latitude": lat, "longitude": lon})
    msg.reply_markup = validate_markup(call.get("reply_markup"))
    return _post(state, chat, call, msg)


def _source(state: EmulatorState, call: Call, not_found: str) -> tuple[EmulatedUser, SentMessage]:
    origin = state.chat(call.get("from_chat_id"))
    message_id = call.get("message_id")
    src = origin.find(message_id) if isinstance(message_id, int) else None
    if src is None or src.deleted:
        raise ApiError(400, not_found)
    return origin, src


def _clone(src: SentMessage, chat_id: int) -> SentMessage:
    return SentMessage(
        0, chat_id, src.kind, text=src.text, caption=src.caption, entities=src.entities,
        media=src.media, file_id=src.file_id, file_unique_id=src.file_unique_id,
    )  # fmt: skip


async def copy_message(state: EmulatorState, call: Call) -> Any:
    _origin, src = _source(state, call, COPY_NOT_FOUND)
    chat = state.sendable(call.get("chat_id"))
    msg = _clone(src, chat.id)
    if src.kind != "text" and call.get("caption") is not None:
        msg.caption, msg.entities = parse_caption(state, call)
    msg.reply_markup = validate_markup(call.get("reply_markup"))
    _post(state, chat, call, msg)
    return {"message_id": msg.message_id}


async def forward_message(state: EmulatorState, call: Call) -> Any:
    origin, src = _source(state, call, FORWARD_NOT_FOUND)
    chat = state.sendable(call.get("chat_id"))
    msg = _clone(src, chat.id)
    sender = state.bot if src.from_bot else user_dict(origin)
    msg.extra = {"forward_origin": {"type": "user", "sender_user": sender, "date": src.date}}
    return _post(state, chat, call, msg)


async def send_chat_action(state: EmulatorState, call: Call) -> Any:
    state.sendable(call.get("chat_id"))
    call.require("action")
    return True


HANDLERS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendVoice": _media_sender("voice"),
    "sendAudio": _media_sender("audio"),
    "sendPhoto": _media_sender("photo"),
    "sendVideo": _media_sender("video"),
    "sendVideoNote": _media_sender("video_note"),
    "sendDocument": _media_sender("document"),
    "sendSticker": _media_sender("sticker"),
    "sendLocation": send_location,
    "copyMessage": copy_message,
    "forwardMessage": forward_message,
    "sendChatAction": send_chat_action,
}
