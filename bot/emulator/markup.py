"""reply_markup validation: the inline keyboard rules Telegram enforces on send/edit."""

from __future__ import annotations

from typing import Any

from .errors import BUTTON_DATA_INVALID, ApiError

_BUTTON_ACTIONS = (
    "callback_data", "url", "login_url", "switch_inline_query", "web_app", "copy_text",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "callback_game",
    "pay",
)  # fmt: skip
_URL_SCHEMES = ("http://", "https://", "tg://")


def _bad(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def _check_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise _bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str) or not button["text"].strip():
        raise _bad("BUTTON_TEXT_INVALID")
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if not actions:
        raise _bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise _bad("can't parse inline keyboard button: only one button action can be specified")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise ApiError(400, BUTTON_DATA_INVALID)
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(_URL_SCHEMES):
            raise _bad("BUTTON_URL_INVALID")


def validate_markup(markup: Any) -> dict[str, Any] | None:
    """Return the markup to store (None when absent) or raise the 400 Telegram would."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        # Reply keyboards, remove_keyboard and force_reply are accepted as sent.
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            _check_button(button)
    return markup


def inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Edits accept only inline keyboards; anything else is a 400 like Telegram's."""
    if markup is not None and "inline_keyboard" not in markup:
        raise _bad("inline keyboard expected")
    return markup
