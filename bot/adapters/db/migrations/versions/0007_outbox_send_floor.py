"""Outbox send floor: the highest message id known in a chat before a check-in's first send,
so a re-send after a crash can find the copy that may have gone out unrecorded.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("floor_message_id", sa.BigInteger(), nullable=True))
        batch.create_index("ix_outbox_chat_message", ["chat_id", "message_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_chat_message")
        batch.drop_column("floor_message_id")
