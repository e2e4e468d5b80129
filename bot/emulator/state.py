"""Everything the emulator knows: users/chats, updates, files, callback queries,
limits, injected faults and stats. Handlers and the HTTP layer share this one object."""

from __future__ import annotations

import time
from typing import Any

from .errors import BLOCKED, CHAT_NOT_FOUND, QUERY_TOO_OLD, ApiError, too_many_requests
from .interning import Interner
from .limits import DEFAULT_LIMITS, SENDING_METHODS, EmulatorLimits, RateLimiter
from .media import FileStore
from .render import bot_user
from .stats import EmulatorStats
from .updates import UpdateQueue
from .user import EmulatedUser
from .webhook import WebhookSender


class _Failure:
    __slots__ = ("count", "description", "error_code", "method", "retry_after")

    def __init__(
        self, method: str | None, error_code: int, description: str,
        retry_after: int | None, count: int,
    ) -> None:  # fmt: skip
        self.method = method.lower() if method else None
        self.error_code, self.description = error_code, description
        self.retry_after, self.count = retry_after, count


class EmulatorState:
    def __init__(self, token: str, bot_username: str, limits: EmulatorLimits | None) -> None:
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot = bot_user(int(prefix) if prefix.isdigit() else 1, bot_username)
        # Size limits and the callback TTL hold even when rate limiting is off.
        self.limits = limits or DEFAULT_LIMITS
        self.limiter = RateLimiter(limits) if limits else None
        self.users: dict[int, EmulatedUser] = {}
        self.updates = UpdateQueue()
        self.webhook = WebhookSender(self.updates)
        self.files = FileStore()
        self.stats = EmulatorStats()
        self.intern = Interner()
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self._queries: dict[str, tuple[int, float]] = {}
        self._query_seq = 0
        self._failures: list[_Failure] = []

    # ---- users and chats ---------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        username: str | None = None,
        language_code: str | None = "zh-hans",
        started: bool = True,
    ) -> EmulatedUser:
        found = self.users.get(user_id)
        if found is None:
            found = EmulatedUser(self, user_id, first_name, username, language_code, started)
            self.users[user_id] = found
        return found

    def chat(self, chat_id: Any) -> EmulatedUser:
        """A chat the bot may talk to: known and started by the user."""
        found = self.users.get(chat_id) if isinstance(chat_id, int) else None
        if found is None or not found.started:
            raise ApiError(400, CHAT_NOT_FOUND)
        return found

    def sendable(self, chat_id: Any) -> EmulatedUser:
        found = self.chat(chat_id)
        if found.blocked:
            raise ApiError(403, BLOCKED)
        return found

    def spend(self, method: str, chat_id: int | None) -> None:
        """Take flood-limit tokens for a sending call about to succeed, and count it."""
        if method not in SENDING_METHODS:
            return
        now = time.monotonic()
        if self.limiter is not None:
            wait = self.limiter.acquire(chat_id, now)
            if wait > 0:
                self.stats.rejected_429 += 1
                raise too_many_requests(wait)
        self.stats.record_send(chat_id, now)

    def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        return self.updates.push(kind, payload)

    # ---- callback queries --------------------------------------------------------------

    def new_callback_query(self, user_id: int) -> str:
        self._query_seq += 1
        query_id = str(4_611_686_018_427_387_904 + self._query_seq * 7919)
        now = time.monotonic()
        if len(self._queries) > 10_000:
            ttl = self.limits.callback_query_ttl
            self._queries = {q: v for q, v in self._queries.items() if now - v[1] <= ttl}
        self._queries[query_id] = (user_id, now)
        return query_id

    def callback_query_user(self, query_id: Any) -> EmulatedUser:
        """The user behind an unanswered, fresh query, else Telegram's "too old" 400."""
        entry = self._queries.get(str(query_id))
        if entry is None or time.monotonic() - entry[1] > self.limits.callback_query_ttl:
            raise ApiError(400, QUERY_TOO_OLD)
        return self.users[entry[0]]

    def close_callback_query(self, query_id: Any) -> None:
        self._queries.pop(str(query_id), None)

    # ---- fault injection ---------------------------------------------------------------

    def fail_next(
        self,
        method: str | None,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        self._failures.append(_Failure(method, error_code, description, retry_after, count))

    def take_failure(self, method: str) -> ApiError | None:
        lowered = method.lower()
        for failure in self._failures:
            if failure.method is None or failure.method == lowered:
                failure.count -= 1
                if failure.count <= 0:
                    self._failures.remove(failure)
                retry_after = failure.retry_after
                if failure.error_code == 429:
                    self.stats.rejected_429 += 1
                    retry_after = 1 if retry_after is None else retry_after
                params = None if retry_after is None else {"retry_after": retry_after}
                return ApiError(failure.error_code, failure.description, params)
        return None
