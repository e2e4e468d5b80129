"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.adapters.db.engine import make_engine, make_sessionmaker, migrate
from bot.adapters.db.migrations import alembic_config
from bot.adapters.db.models import Base
from bot.adapters.db.store import Stores

WHEN = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
LATER = WHEN + timedelta(minutes=1)


async def test_migrated_schema_matches_the_models(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine)
        await migrate(engine)  # a second start changes nothing
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
    finally:
        await engine.dispose()
    assert diff == [], "models and migrations differ: add a migration"


def _upgrade(connection, revision: str) -> None:
    command.upgrade(alembic_config(connection), revision)


def _downgrade(connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)


def _queue_relays_at_0010(sync) -> dict[str, int]:
    """Outbox rows as 0010 wrote them: a relayed message's id inside the body only."""
    tables = sa.MetaData()
    people, relays, outbox = (
        sa.Table(name, tables, autoload_with=sync) for name in ("people", "relays", "outbox")
    )
    mum = sync.execute(
        people.insert().values(
            role="parent",
            display_name="Mum",
            locale="en",
            timezone="Asia/Shanghai",
            created_at=WHEN,
        )
    ).inserted_primary_key[0]
    relay = sync.execute(
        relays.insert().values(sender_id=mum, kind="text", status="sending", created_at=WHEN)
    ).inserted_primary_key[0]
    ids = {}
    for name, body in (
        ("relay", {"v": 2, "verb": "send", "text": "Dinner?", "buttons": [], "relay_id": relay}),
        ("gone", {"v": 2, "verb": "send", "text": "old", "buttons": [], "relay_id": relay + 99}),
        ("alert", {"v": 2, "verb": "send", "text": "hello", "buttons": []}),
    ):
        ids[name] = sync.execute(
            outbox.insert().values(
                person_id=mum,
                chat_id=2002,
                kind=name,
                body=body,
                status="pending",
                send_after=WHEN,
                priority=0,
                attempts=0,
                created_at=WHEN,
            )
        ).inserted_primary_key[0]
    ids["relay_row"] = relay
    return ids


def _outbox(sync) -> dict[int, tuple[int | None, dict]]:
    outbox = sa.Table("outbox", sa.MetaData(), autoload_with=sync)
    rows = sync.execute(sa.select(outbox)).mappings().all()
    return {
        row["id"]: (
            row.get("relay_id"),
            json.loads(row["body"]) if isinstance(row["body"], str) else row["body"],
        )
        for row in rows
    }


async def test_0011_copies_each_relays_id_from_the_body_into_its_column_and_back(database_url):
    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, "0010")
            ids = await connection.run_sync(_queue_relays_at_0010)
            await connection.run_sync(_upgrade, "0011")
            upgraded = await connection.run_sync(_outbox)
        assert upgraded[ids["relay"]][0] == ids["relay_row"]
        assert upgraded[ids["relay"]][1]["relay_id"] == ids["relay_row"]  # the body keeps it
        assert upgraded[ids["gone"]][0] is None  # a message no longer there: no dangling key
        assert upgraded[ids["alert"]][0] is None

        stores = Stores(engine, make_sessionmaker(engine))
        async with stores.read() as store:
            claimed = {d.outbox_id: d.outgoing for d in await store.outbox.claim_due(LATER, 10)}
        assert claimed[ids["relay"]].relay_id == ids["relay_row"]
        assert claimed[ids["gone"]].relay_id == ids["relay_row"] + 99  # read from the body
        async with stores.begin() as store:
            item = claimed[ids["relay"]]
            await store.outbox.enqueue(replace(item, dedupe_key="relay:new"), LATER)
        async with engine.begin() as connection:
            after = await connection.run_sync(_outbox)
            new_id = max(after)
            assert after[new_id][0] == ids["relay_row"] and "relay_id" not in after[new_id][1]
            await connection.run_sync(_downgrade, "0010")
            downgraded = await connection.run_sync(_outbox)
        assert downgraded[new_id][1]["relay_id"] == ids["relay_row"]  # written back for 0010
        assert "relay_id" not in downgraded[ids["alert"]][1]
    finally:
        await engine.dispose()
