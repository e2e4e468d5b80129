"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.adapters.db.engine import make_engine, migrate
from bot.adapters.db.models import Base


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
