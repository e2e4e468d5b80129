"""The pending-update queue: long polling with offsets, like getUpdates."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any

from .errors import POLL_CONFLICT, ApiError


class UpdateQueue:
    """Updates wait here until a getUpdates offset (or a webhook delivery) confirms them."""

    def __init__(self, first_update_id: int = 100_000_001) -> None:
        self._items: deque[dict[str, Any]] = deque()
        self._next_id = first_update_id
        self._changed = asyncio.Event()
        self._poll_generation = 0
        self.allowed_updates: frozenset[str] | None = None
        self.closed = False

    def __len__(self) -> int:
        return len(self._items)

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._items.append(update)
        self.wake()
        return update

    def wake(self) -> None:
        """Release everyone waiting; each waiter then re-checks what it waits for."""
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    def close(self) -> None:
        """Stop: pending long polls return at once so the server can shut down quickly."""
        self.closed = True
        self.wake()

    def confirm(self, offset: int) -> None:
        """Forget updates below `offset`; a negative offset keeps only the last -offset."""
        items = self._items
        if offset < 0:
            while len(items) > -offset:
                items.popleft()
            return
        while items and items[0]["update_id"] < offset:
            items.popleft()

    def drop_all(self) -> None:
        self._items.clear()

    def first(self) -> dict[str, Any] | None:
        return self._items[0] if self._items else None

    def _wanted(self, update: dict[str, Any]) -> bool:
        allowed = self.allowed_updates
        return not allowed or any(key in allowed for key in update if key != "update_id")

    def peek(self, limit: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for update in self._items:
            if self._wanted(update):
                out.append(update)
                if len(out) >= limit:
                    break
        return out

    async def wait_changed(self, seconds: float | None = None) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    async def poll(self, offset: int | None, limit: int, seconds: float) -> list[dict[str, Any]]:
        """getUpdates: confirm, then answer at once or when something arrives or times out.

        A newer poll ends an older one still waiting with 409, as Telegram does.
        """
        if offset is not None:
            self.confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self.wake()  # an older poll still waiting sees it is superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, seconds)
        limit = min(max(limit, 1), 100)
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, POLL_CONFLICT)
            found = self.peek(limit)
            remaining = deadline - loop.time()
            if found or remaining <= 0 or self.closed:
                return found
            await self.wait_changed(remaining)
