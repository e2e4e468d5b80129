"""BotAPIEmulator: the HTTP face of the emulator and its public Python API."""

from __future__ import annotations

import functools
import json
import logging
import socket
from typing import Any

from aiohttp import web

from . import methods_core, methods_edit, methods_send
from .control import add_control_routes
from .errors import METHOD_NOT_FOUND, UNAUTHORIZED, ApiError
from .limits import DEFAULT_LIMITS, EmulatorLimits
from .params import read_call
from .state import EmulatorState
from .stats import EmulatorStats
from .user import EmulatedUser

log = logging.getLogger(__name__)
_HANDLERS = {**methods_core.HANDLERS, **methods_send.HANDLERS, **methods_edit.HANDLERS}
# Telegram matches method names case-insensitively.
_BY_LOWER = {name.lower(): (name, handler) for name, handler in _HANDLERS.items()}
_dumps = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


def _reply(status: int, body: dict[str, Any]) -> web.Response:
    return web.json_response(body, status=status, dumps=_dumps)


class BotAPIEmulator:
    """A local Telegram Bot API server for tests, benchmarks and the sandbox.

    Point python-telegram-bot at it with `ApplicationBuilder().base_url(emu.base_url)`.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "tongban_test_bot",
        limits: EmulatorLimits | None = DEFAULT_LIMITS,
    ) -> None:
        self.state = EmulatorState(token, bot_username, limits)
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.app.router.add_route("*", "/bot{token}/{method}", self._api)
        self.app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        add_control_routes(self.app, self)
        self._runner: web.AppRunner | None = None
        self.host = "127.0.0.1"
        self.port = 0

    # ---- lifecycle ---------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> BotAPIEmulator:
        """Serve on host:port; port 0 picks a free one (see `base_url`)."""
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        self.host, self.port = host, sock.getsockname()[1]
        self._runner = web.AppRunner(
            self.app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        self.state.updates.close()
        await self.state.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotAPIEmulator:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What PTB's `base_url` expects: PTB appends the token."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def control_url(self) -> str:
        return f"http://{self.host}:{self.port}/_emulator"

    # ---- the test-facing API -----------------------------------------------------------

    @property
    def token(self) -> str:
        return self.state.token

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        username: str | None = None,
        language_code: str | None = "zh-hans",
        started: bool = True,
    ) -> EmulatedUser:
        """The user (and private chat) with this id; the same object on every call."""
        return self.state.user(user_id, first_name, username, language_code, started)

    @property
    def users(self) -> dict[int, EmulatedUser]:
        return self.state.users

    def fail_next(
        self,
        method: str | None,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Make the next `count` calls of `method` (any method if None) fail like this."""
        self.state.fail_next(method, error_code, description, retry_after, count)

    @property
    def stats(self) -> EmulatorStats:
        return self.state.stats

    def reset_stats(self) -> None:
        self.state.stats = EmulatorStats()

    @property
    def pending_updates(self) -> int:
        return len(self.state.updates)

    # ---- HTTP --------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        state = self.state
        if request.match_info["token"] != state.token:
            return _reply(401, ApiError(401, UNAUTHORIZED).payload())
        found = _BY_LOWER.get(request.match_info["method"].lower())
        if found is None:
            return _reply(404, ApiError(404, METHOD_NOT_FOUND).payload())
        method, handler = found
        state.stats.methods[method] += 1
        try:
            failure = state.take_failure(method)
            if failure is not None:
                raise failure
            result = await handler(state, await read_call(method, request))
        except ApiError as exc:
            state.stats.errors[exc.code] += 1
            return _reply(exc.code, exc.payload())
        except Exception as exc:  # an emulator bug must not look like a Telegram answer
            log.exception("emulator failed on %s", method)
            state.stats.errors[500] += 1
            error = ApiError(500, f"Internal Server Error: emulator bug: {exc!r}")
            return _reply(500, error.payload())
        return _reply(200, {"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.state.token:
            return _reply(401, ApiError(401, UNAUTHORIZED).payload())
        record = self.state.files.by_path(request.match_info["path"])
        if record is None:
            return _reply(404, ApiError(404, "Not Found: file not found").payload())
        return web.Response(body=self.state.files.content(record))
