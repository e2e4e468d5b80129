"""Ad-hoc check-in requests, collected by the tick like scheduled ones.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("child_profiles") as batch:
        batch.add_column(
            sa.Column("adhoc_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.create_index("ix_child_profiles_adhoc_requested_at", ["adhoc_requested_at"])


def downgrade() -> None:
    with op.batch_alter_table("child_profiles") as batch:
        batch.drop_index("ix_child_profiles_adhoc_requested_at")
        batch.drop_column("adhoc_requested_at")
