"""At most one live (open or acknowledged) alert per child and reason.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("status IN ('open', 'acknowledged')")


def upgrade() -> None:
    op.create_index(
        "uq_alerts_live_child_reason",
        "alerts",
        ["child_id", "reason"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_alerts_live_child_reason", table_name="alerts")
