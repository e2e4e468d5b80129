"""Waiting on the relay's state in the end-to-end tests (shared by the relay test modules)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.adapters.db.models import Person, Relay
from tests.e2e.conftest import Harness


async def child_unreachable(h: Harness) -> bool:
    async with h.core.deps.stores.sessions() as session:
        child = (await session.scalars(select(Person).where(Person.role == "child"))).one()
        return child.unreachable_since is not None


async def answered(user, query_id: str) -> bool:
    return any(a["query_id"] == query_id for a in user.callback_answers)


async def until(h: Harness, check, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


async def relay_is(h: Harness, status: str) -> bool:
    async with h.core.deps.stores.sessions() as session:
        return (await session.scalars(select(Relay))).one().status == status
