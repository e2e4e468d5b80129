"""Request parameters from query string, form, multipart or JSON, typed like Telegram's.

PTB sends every value as a string with objects JSON-encoded, so known fields
are decoded here once and handlers can rely on proper types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .errors import ApiError

_INT_FIELDS = frozenset(
    {
        "chat_id", "from_chat_id", "message_id", "offset", "limit", "timeout", "duration",
        "cache_time", "reply_to_message_id", "message_thread_id", "max_connections",
        "width", "height", "length", "user_id",
    }
)  # fmt: skip
_JSON_FIELDS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "allowed_updates", "commands",
        "scope", "menu_button", "link_preview_options", "reply_parameters", "media",
    }
)  # fmt: skip
_BOOL_FIELDS = frozenset(
    {
        "show_alert", "disable_notification", "protect_content", "drop_pending_updates",
        "disable_web_page_preview", "has_spoiler", "show_caption_above_media",
        "allow_sending_without_reply", "allow_paid_broadcast",
    }
)  # fmt: skip


@dataclass(slots=True)
class Upload:
    filename: str | None
    content_type: str | None
    content: bytes


@dataclass(slots=True)
class Call:
    """One API call: canonical method name, typed parameters, uploaded files."""

    method: str
    params: dict[str, Any]
    uploads: dict[str, Upload] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name)
        return default if value is None else value

    def require(self, name: str) -> Any:
        value = self.params.get(name)
        if value is None or value == "":
            raise ApiError(400, f"Bad Request: {name} is empty")
        return value


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in _INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value  # e.g. "@channel": the lookup then says "chat not found"
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(
                400, f"Bad Request: can't parse {name.replace('_', ' ')} JSON object"
            ) from None
    if name in _BOOL_FIELDS:
        return value.lower() in ("true", "1")
    return value


async def read_call(method: str, request: web.Request) -> Call:
    """Merge query string and body (any encoding PTB or curl would use)."""
    raw: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON object") from None
            if isinstance(body, dict):
                raw.update(body)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    uploads[name] = Upload(value.filename, value.content_type, value.file.read())
                elif isinstance(value, bytes | bytearray):
                    raw[name] = bytes(value).decode("utf-8", "replace")
                else:
                    raw[name] = value
    params = {name: _coerce(name, value) for name, value in raw.items()}
    return Call(method, params, uploads)
