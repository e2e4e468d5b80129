"""The standing "consistently lonely" flag on a child's profile: when detection raised it, so
the volunteer and coordinators can consider the child for a peer group.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("child_profiles") as batch:
        batch.add_column(sa.Column("lonely_flagged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("child_profiles") as batch:
        batch.drop_column("lonely_flagged_at")
