"""Bot API methods about the bot itself and update delivery: getMe, getUpdates,
webhooks, commands, menu button, files and chats."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .errors import WEBHOOK_ACTIVE, WRONG_FILE_ID, ApiError
from .render import chat_full_info

if TYPE_CHECKING:
    from .methods_send import Handler
    from .params import Call
    from .state import EmulatorState

_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


async def get_me(state: EmulatorState, call: Call) -> Any:
    return state.bot


async def ok(state: EmulatorState, call: Call) -> Any:
    """logOut, close and the setters the emulator merely accepts."""
    return True


def _set_allowed(state: EmulatorState, call: Call) -> None:
    allowed = call.get("allowed_updates")
    if isinstance(allowed, list):
        state.updates.allowed_updates = frozenset(allowed) or None


async def get_updates(state: EmulatorState, call: Call) -> Any:
    if state.webhook.active:
        raise ApiError(409, WEBHOOK_ACTIVE)
    _set_allowed(state, call)
    offset, limit, timeout = call.get("offset"), call.get("limit", 100), call.get("timeout", 0)
    if not all(isinstance(value, int | float) for value in (limit, timeout)):
        raise ApiError(400, "Bad Request: limit and timeout must be numbers")
    return await state.updates.poll(offset if isinstance(offset, int) else None, limit, timeout)


async def set_webhook(state: EmulatorState, call: Call) -> Any:
    url = call.get("url", "")
    if not url:
        return await delete_webhook(state, call)
    if not url.startswith(("http://", "https://")):
        raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
    secret = call.get("secret_token")
    if secret is not None and not _SECRET_RE.fullmatch(secret):
        raise ApiError(400, "Bad Request: secret token contains unallowed characters")
    if call.get("drop_pending_updates"):
        state.updates.drop_all()
    _set_allowed(state, call)
    if call.get("max_connections"):
        state.webhook.max_connections = int(call.get("max_connections"))
    state.webhook.configure(url, secret)
    return True


async def delete_webhook(state: EmulatorState, call: Call) -> Any:
    if call.get("drop_pending_updates"):
        state.updates.drop_all()
    await state.webhook.disable()
    return True


async def get_webhook_info(state: EmulatorState, call: Call) -> Any:
    return state.webhook.info()


def _commands_key(call: Call) -> str:
    scope = call.get("scope") or {}
    scope_type = scope.get("type", "default") if isinstance(scope, dict) else "default"
    chat = scope.get("chat_id", "") if isinstance(scope, dict) else ""
    return f"{scope_type}:{chat}:{call.get('language_code', '')}"


async def set_my_commands(state: EmulatorState, call: Call) -> Any:
    commands = call.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: commands must be an array of at most 100 items")
    for item in commands:
        if not isinstance(item, dict) or not _COMMAND_RE.fullmatch(str(item.get("command"))):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(item.get("description") or "")) <= 256:
            raise ApiError(400, "Bad Request: command description must be non-empty")
    state.commands[_commands_key(call)] = commands
    return True


async def get_my_commands(state: EmulatorState, call: Call) -> Any:
    return state.commands.get(_commands_key(call), [])


async def delete_my_commands(state: EmulatorState, call: Call) -> Any:
    state.commands.pop(_commands_key(call), None)
    return True


async def set_chat_menu_button(state: EmulatorState, call: Call) -> Any:
    chat_id = call.get("chat_id")
    if chat_id is not None:
        state.chat(chat_id)
    button = call.get("menu_button") or {"type": "default"}
    state.menu_buttons[chat_id] = button
    return True


async def get_chat_menu_button(state: EmulatorState, call: Call) -> Any:
    chat_id = call.get("chat_id")
    return state.menu_buttons.get(chat_id) or state.menu_buttons.get(None) or {"type": "default"}


async def get_file(state: EmulatorState, call: Call) -> Any:
    record = state.files.get(str(call.require("file_id")))
    if record is None:
        raise ApiError(400, WRONG_FILE_ID)
    return record.as_file()


async def get_chat(state: EmulatorState, call: Call) -> Any:
    return chat_full_info(state.chat(call.get("chat_id")))


def _constant(value: Any) -> Handler:
    async def constant(state: EmulatorState, call: Call) -> Any:
        return value

    return constant


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "logOut": ok,
    "close": ok,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "getFile": get_file,
    "getChat": get_chat,
    "setMyDescription": ok,
    "setMyShortDescription": ok,
    "setMyName": ok,
    "getMyDescription": _constant({"description": ""}),
    "getMyShortDescription": _constant({"short_description": ""}),
    "getMyName": _constant({"name": "Tongban Test"}),
}
