"""Telegram-shaped API errors, worded exactly as the real Bot API words them.

Keeping the wording in one place lets tests match on the same strings a bot
would see in production.
"""

from __future__ import annotations

import math
from typing import Any

CHAT_NOT_FOUND = "Bad Request: chat not found"
TEXT_EMPTY = "Bad Request: message text is empty"
TEXT_TOO_LONG = "Bad Request: message is too long"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
PARSE_ENTITIES = "Bad Request: can't parse entities: "
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup"
    " are exactly the same as a current content and reply markup of the message"
)
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
DELETE_NOT_FOUND = "Bad Request: message to delete not found"
COPY_NOT_FOUND = "Bad Request: message to copy not found"
FORWARD_NOT_FOUND = "Bad Request: message to forward not found"
CANT_EDIT = "Bad Request: message can't be edited"
NO_TEXT_TO_EDIT = "Bad Request: there is no text in the message to edit"
NO_CAPTION_TO_EDIT = "Bad Request: there is no caption in the message to edit"
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
ANSWER_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"
WRONG_FILE = "Bad Request: wrong file identifier/HTTP URL specified"
WRONG_FILE_ID = "Bad Request: wrong file_id or the file is temporarily unavailable"
BLOCKED = "Forbidden: bot was blocked by the user"
UNAUTHORIZED = "Unauthorized"
METHOD_NOT_FOUND = "Not Found: method not found"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active;"
    " use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request;"
    " make sure that only one bot instance is running"
)


class ApiError(Exception):
    """An error reply: raised anywhere in a handler, rendered once by the server."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    """A 400; `description` must already carry the "Bad Request: " prefix."""
    return ApiError(400, description)


def missing(name: str) -> ApiError:
    return ApiError(400, f"Bad Request: {name} is empty")


def too_many_requests(wait_seconds: float) -> ApiError:
    """429 with retry_after rounded up to whole seconds, never below 1, as Telegram does."""
    retry_after = max(1, math.ceil(wait_seconds))
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        {"retry_after": retry_after},
    )
