"""The relayed message an outbox row carries gets a column of its own, as the check-in has.

It rode inside the JSON body (`body["relay_id"]`); the data step copies it into the column for
rows queued before, and the body keeps it (a reader falls back to it). Downgrading writes the
column back into the body, so rows queued after the upgrade still report their fate.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A body's relay id, as SQL of each dialect (the body is JSON on both).
_BODY_RELAY_ID = {
    "sqlite": "CAST(json_extract(outbox.body, '$.relay_id') AS INTEGER)",
    "postgresql": "CAST(outbox.body ->> 'relay_id' AS BIGINT)",
}
_BODY_WITH_RELAY_ID = {
    "sqlite": "json_set(outbox.body, '$.relay_id', outbox.relay_id)",
    "postgresql": "CAST(jsonb_set(CAST(outbox.body AS JSONB), '{relay_id}', "
    "to_jsonb(outbox.relay_id)) AS JSON)",
}


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column(
                "relay_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
        batch.create_foreign_key(
            op.f("fk_outbox_relay_id_relays"), "relays", ["relay_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_outbox_relay_id", ["relay_id"])
    relay_id = _BODY_RELAY_ID[op.get_bind().dialect.name]
    # Only ids of messages that still exist: the column is a foreign key, the body was not.
    op.execute(
        f"UPDATE outbox SET relay_id = {relay_id} "
        f"WHERE {relay_id} IS NOT NULL "
        f"AND EXISTS (SELECT 1 FROM relays WHERE relays.id = {relay_id})"
    )


def downgrade() -> None:
    body = _BODY_WITH_RELAY_ID[op.get_bind().dialect.name]
    op.execute(f"UPDATE outbox SET body = {body} WHERE outbox.relay_id IS NOT NULL")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_relay_id")
        batch.drop_constraint("fk_outbox_relay_id_relays", type_="foreignkey")
        batch.drop_column("relay_id")
