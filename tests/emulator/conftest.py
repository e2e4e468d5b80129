"""Fixtures for the emulator's own tests: a running emulator and a raw HTTP client."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.emulator import BotAPIEmulator

from .helpers import TOKEN, Api

# httpx honours proxy settings even for loopback; everything here is local. Extend
# rather than only setdefault, so an existing NO_PROXY without loopback is fixed too.
for _name in ("NO_PROXY", "no_proxy"):
    _hosts = [h for h in os.environ.get(_name, "").split(",") if h]
    os.environ[_name] = ",".join(dict.fromkeys([*_hosts, "127.0.0.1", "localhost"]))


@pytest.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    """An emulator with the default (Telegram-like) limits."""
    async with BotAPIEmulator(token=TOKEN) as emulator:
        yield emulator


@pytest.fixture
async def free_emu() -> AsyncIterator[BotAPIEmulator]:
    """An emulator with rate limiting off, for tests that send a lot."""
    async with BotAPIEmulator(token=TOKEN, limits=None) as emulator:
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10, trust_env=False) as client:
        yield client


@pytest.fixture
def api(http: httpx.AsyncClient, emu: BotAPIEmulator) -> Api:
    return Api(http, emu)
