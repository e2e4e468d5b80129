"""Message content checks shared by send*, copy and edit*: text, captions, files, replies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import CAPTION_TOO_LONG, TEXT_EMPTY, TEXT_TOO_LONG, WRONG_FILE, ApiError
from .html_entities import parse_html, utf16_len
from .models import FileRecord
from .render import message_dict

if TYPE_CHECKING:
    from .params import Call
    from .state import EmulatorState
    from .user import EmulatedUser


def _formatted(
    source: str, parse_mode: Any, explicit: Any
) -> tuple[str, list[dict[str, Any]] | None]:
    mode = (parse_mode or "").lower()
    if mode == "html":
        text, entities = parse_html(source)
        return text, entities or None
    if mode in ("", "markdown", "markdownv2"):
        # Markdown is passed through unparsed: the project formats with HTML.
        entities = explicit if isinstance(explicit, list) and not mode else None
        return source, entities or None
    raise ApiError(400, "Bad Request: unsupported parse_mode")


def parse_text(state: EmulatorState, call: Call) -> tuple[str, list[dict[str, Any]] | None]:
    """(plain text, entities) for sendMessage/editMessageText, or the 400 Telegram sends."""
    source = call.get("text", "")
    if not isinstance(source, str) or not source.strip():
        raise ApiError(400, TEXT_EMPTY)
    text, entities = _formatted(source, call.get("parse_mode"), call.get("entities"))
    if not text.strip():
        raise ApiError(400, TEXT_EMPTY)
    if utf16_len(text) > state.limits.max_text:
        raise ApiError(400, TEXT_TOO_LONG)
    return text, entities


def parse_caption(
    state: EmulatorState, call: Call
) -> tuple[str | None, list[dict[str, Any]] | None]:
    """(caption, caption entities); an absent or empty caption gives (None, None)."""
    source = call.get("caption")
    if not isinstance(source, str) or source == "":
        return None, None
    caption, entities = _formatted(source, call.get("parse_mode"), call.get("caption_entities"))
    if utf16_len(caption) > state.limits.max_caption:
        raise ApiError(400, CAPTION_TOO_LONG)
    return caption, entities


def resolve_file(state: EmulatorState, call: Call, kind: str) -> FileRecord:
    """The file behind a send* media parameter: an upload, a known file_id or a URL."""
    value = call.params.get(kind)
    upload = call.uploads.get(kind)
    if isinstance(value, str) and value.startswith("attach://"):
        upload = call.uploads.get(value.removeprefix("attach://"))
    if upload is not None:
        return state.files.new(kind, content=upload.content)
    if not isinstance(value, str) or not value:
        raise ApiError(400, f"Bad Request: there is no {kind} in the request")
    if value.startswith(("http://", "https://")):
        return state.files.new(kind)
    record = state.files.get(value)
    if record is None:
        raise ApiError(400, WRONG_FILE)
    return record


def reply_extra(state: EmulatorState, chat: EmulatedUser, call: Call) -> dict[str, Any] | None:
    """`reply_to_message` for reply_parameters / reply_to_message_id, as Telegram echoes it."""
    params = call.get("reply_parameters")
    target_id = call.get("reply_to_message_id")
    allow_missing = bool(call.get("allow_sending_without_reply"))
    if isinstance(params, dict):
        target_id = params.get("message_id")
        allow_missing = bool(params.get("allow_sending_without_reply"))
    if target_id is None:
        return None
    target = chat.find(int(target_id))
    if target is None or target.deleted:
        if allow_missing:
            return None
        raise ApiError(400, "Bad Request: message to be replied not found")
    return {"reply_to_message": message_dict(target, chat, state.bot)}
