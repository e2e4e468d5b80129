"""A small JSON control API under /_emulator/ so other processes (the sandbox, a
benchmark driver) can act as users and read what the bot did."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .server import BotAPIEmulator
    from .user import EmulatedUser


def add_control_routes(app: web.Application, emu: BotAPIEmulator) -> None:
    routes = _ControlRoutes(emu)
    app.router.add_post("/_emulator/users/{id}", routes.create_user)
    app.router.add_post("/_emulator/users/{id}/text", routes.text)
    app.router.add_post("/_emulator/users/{id}/callback", routes.callback)
    app.router.add_post("/_emulator/users/{id}/block", routes.block)
    app.router.add_post("/_emulator/users/{id}/unblock", routes.unblock)
    app.router.add_get("/_emulator/chats/{id}/messages", routes.messages)
    app.router.add_get("/_emulator/chats/{id}/callback_answers", routes.callback_answers)
    app.router.add_get("/_emulator/stats", routes.stats)
    app.router.add_post("/_emulator/stats/reset", routes.reset_stats)


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text='{"error": "body must be JSON"}') from None
    return body if isinstance(body, dict) else {}


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=status)


class _ControlRoutes:
    def __init__(self, emu: BotAPIEmulator) -> None:
        self.emu = emu

    @staticmethod
    def _id(request: web.Request) -> int:
        try:
            return int(request.match_info["id"])
        except ValueError:
            raise web.HTTPBadRequest(text='{"error": "id must be an integer"}') from None

    def _user(self, request: web.Request) -> EmulatedUser:
        """The user, created on first use like `emu.user(id)`."""
        return self.emu.user(self._id(request))

    async def create_user(self, request: web.Request) -> web.Response:
        body = await _body(request)
        user_id = self._id(request)
        options = {
            k: body[k] for k in ("first_name", "username", "language_code", "started") if k in body
        }
        user = self.emu.user(user_id, **options)
        return web.json_response({"ok": True, "id": user.id, "started": user.started})

    async def text(self, request: web.Request) -> web.Response:
        body = await _body(request)
        if not isinstance(body.get("text"), str):
            return _error(400, 'body needs "text"')
        user = self._user(request)
        update = await user.send_text(body["text"])
        return web.json_response({"ok": True, "update": update})

    async def callback(self, request: web.Request) -> web.Response:
        body = await _body(request)
        user = self._user(request)
        try:
            if "data" in body:
                query_id = await user.tap(str(body["data"]), body.get("message_id"))
            elif "button" in body:
                query_id = await user.tap_button(str(body["button"]), body.get("message_id"))
            else:
                return _error(400, 'body needs "data" or "button"')
        except AssertionError as exc:
            return _error(404, str(exc))
        return web.json_response({"ok": True, "callback_query_id": query_id})

    async def block(self, request: web.Request) -> web.Response:
        user = self._user(request)
        user.block()
        return web.json_response({"ok": True})

    async def unblock(self, request: web.Request) -> web.Response:
        user = self._user(request)
        user.unblock()
        return web.json_response({"ok": True})

    async def messages(self, request: web.Request) -> web.Response:
        user = self.emu.users.get(self._id(request))
        if user is None:
            return _error(404, "chat not found")
        return web.json_response({"ok": True, "messages": [m.as_dict() for m in user.messages]})

    async def callback_answers(self, request: web.Request) -> web.Response:
        user = self.emu.users.get(self._id(request))
        if user is None:
            return _error(404, "chat not found")
        return web.json_response({"ok": True, "callback_answers": user.callback_answers})

    async def stats(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True, **self.emu.stats.as_dict()})

    async def reset_stats(self, request: web.Request) -> web.Response:
        self.emu.reset_stats()
        return web.json_response({"ok": True})
