"""Webhook mode: POST each pending update to the bot, retrying with back-off."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp

from .models import _now
from .updates import UpdateQueue

log = logging.getLogger(__name__)


class WebhookSender:
    """Delivers updates one at a time, in order; gives an update up after `attempts`."""

    def __init__(self, queue: UpdateQueue, attempts: int = 4, backoff: float = 0.2) -> None:
        self.queue = queue
        self.attempts = attempts
        self.backoff = backoff
        self.url = ""
        self.secret_token: str | None = None
        self.max_connections = 40
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def active(self) -> bool:
        return bool(self.url)

    def configure(self, url: str, secret_token: str | None) -> None:
        self.url, self.secret_token = url, secret_token
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        self.queue.wake()

    async def disable(self) -> None:
        self.url, self.secret_token = "", None
        await self.stop()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None

    def info(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.queue),
        }
        if self.url:
            body["max_connections"] = self.max_connections
        if self.last_error_date is not None:
            body["last_error_date"] = self.last_error_date
            body["last_error_message"] = self.last_error_message
        return body

    async def _run(self) -> None:
        while self.url:
            update = self.queue.first()
            if update is None:
                await self.queue.wait_changed()
                continue
            await self._deliver(update)
            self.queue.confirm(update["update_id"] + 1)

    async def _deliver(self, update: dict[str, Any]) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        headers = {}
        if self.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.secret_token
        for attempt in range(self.attempts):
            try:
                async with self._session.post(self.url, json=update, headers=headers) as resp:
                    if 200 <= resp.status < 300:
                        return
                    error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = f"Connection failed: {exc.__class__.__name__}"
            self.last_error_date, self.last_error_message = _now(), error
            log.warning("webhook delivery of %s failed: %s", update["update_id"], error)
            if attempt + 1 < self.attempts:
                await asyncio.sleep(self.backoff * 2**attempt)
        log.error("webhook gave up on update %s", update["update_id"])
