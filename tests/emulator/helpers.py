"""Shared helpers for the emulator tests: the token and a raw Bot API caller."""

from __future__ import annotations

from typing import Any

import httpx

from bot.emulator import BotAPIEmulator

TOKEN = "123456:TEST-TOKEN"


class Api:
    """Raw Bot API calls: returns (HTTP status, decoded JSON body)."""

    def __init__(self, client: httpx.AsyncClient, emulator: BotAPIEmulator) -> None:
        self.client = client
        self.emu = emulator

    async def __call__(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        url = f"{self.emu.base_url}{self.emu.token}/{method}"
        response = await self.client.post(url, json=params)
        return response.status_code, response.json()

    async def ok(self, method: str, **params: Any) -> Any:
        status, body = await self(method, **params)
        assert status == 200 and body["ok"], body
        return body["result"]

    async def error(self, method: str, **params: Any) -> tuple[int, str]:
        status, body = await self(method, **params)
        assert not body["ok"] and body["error_code"] == status, body
        return status, body["description"]

    async def description(self, method: str, **params: Any) -> str:
        """The error description of a call that must fail."""
        return (await self.error(method, **params))[1]
