"""Bot API methods that change what is already there: edits, deletes, callback answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .content import parse_caption, parse_text
from .errors import (
    ANSWER_TOO_LONG,
    CANT_EDIT,
    DELETE_NOT_FOUND,
    EDIT_NOT_FOUND,
    NO_CAPTION_TO_EDIT,
    NO_TEXT_TO_EDIT,
    NOT_MODIFIED,
    ApiError,
)
from .html_entities import utf16_len
from .markup import inline_only, validate_markup
from .models import SentMessage, _now
from .render import message_dict

if TYPE_CHECKING:
    from .methods_send import Handler
    from .params import Call
    from .state import EmulatorState
    from .user import EmulatedUser


def _editable(state: EmulatorState, call: Call) -> tuple[EmulatedUser, SentMessage]:
    if call.get("inline_message_id") is not None:
        raise ApiError(400, "Bad Request: inline messages are not supported by the emulator")
    chat = state.sendable(call.get("chat_id"))
    message_id = call.get("message_id")
    msg = chat.find(message_id) if isinstance(message_id, int) else None
    if msg is None or msg.deleted:
        raise ApiError(400, EDIT_NOT_FOUND)
    if not msg.from_bot:
        raise ApiError(400, CANT_EDIT)
    return chat, msg


def _commit(
    state: EmulatorState, call: Call, chat: EmulatedUser, msg: SentMessage, **changes: Any
) -> dict[str, Any]:
    """Refuse a no-op edit like Telegram, spend tokens, apply, and wake waiters.

    A missing reply_markup removes the keyboard, exactly as on the real server.
    """
    if all(getattr(msg, name) == value for name, value in changes.items()):
        raise ApiError(400, NOT_MODIFIED)
    state.spend(call.method, chat.id)
    for name, value in changes.items():
        shared = name in ("entities", "reply_markup")
        setattr(msg, name, state.intern(value) if shared else value)
    msg.edits += 1
    msg.edit_date = _now()
    chat.notify(msg, deleted=False)
    return message_dict(msg, chat, state.bot)


async def edit_message_text(state: EmulatorState, call: Call) -> Any:
    chat, msg = _editable(state, call)
    if msg.kind != "text":
        raise ApiError(400, NO_TEXT_TO_EDIT)
    text, entities = parse_text(state, call)
    markup = inline_only(validate_markup(call.get("reply_markup")))
    result = _commit(state, call, chat, msg, text=text, entities=entities, reply_markup=markup)
    msg.parse_mode, msg.source = call.get("parse_mode"), call.get("text")
    return result


async def edit_message_caption(state: EmulatorState, call: Call) -> Any:
    chat, msg = _editable(state, call)
    if msg.kind in ("text", "sticker", "video_note", "location"):
        raise ApiError(400, NO_CAPTION_TO_EDIT)
    caption, entities = parse_caption(state, call)
    markup = inline_only(validate_markup(call.get("reply_markup")))
    result = _commit(
        state, call, chat, msg, caption=caption, entities=entities, reply_markup=markup
    )
    msg.parse_mode, msg.source = call.get("parse_mode"), call.get("caption")
    return result


async def edit_message_reply_markup(state: EmulatorState, call: Call) -> Any:
    chat, msg = _editable(state, call)
    markup = inline_only(validate_markup(call.get("reply_markup")))
    return _commit(state, call, chat, msg, reply_markup=markup)


async def delete_message(state: EmulatorState, call: Call) -> Any:
    chat = state.sendable(call.get("chat_id"))
    message_id = call.get("message_id")
    msg = chat.find(message_id) if isinstance(message_id, int) else None
    if msg is None or msg.deleted:
        raise ApiError(400, DELETE_NOT_FOUND)
    state.spend(call.method, chat.id)
    msg.deleted = True
    chat.notify(msg, deleted=True)
    return True


async def answer_callback_query(state: EmulatorState, call: Call) -> Any:
    query_id = call.require("callback_query_id")
    user = state.callback_query_user(query_id)
    text = call.get("text")
    if text is not None and utf16_len(str(text)) > state.limits.max_callback_answer:
        raise ApiError(400, ANSWER_TOO_LONG)
    state.close_callback_query(query_id)
    answer: dict[str, Any] = {
        "query_id": str(query_id),
        "text": text,
        "show_alert": bool(call.get("show_alert", False)),
    }
    if call.get("url"):
        answer["url"] = call.get("url")
    user.callback_answers.append(answer)
    return True


HANDLERS: dict[str, Handler] = {
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
}
