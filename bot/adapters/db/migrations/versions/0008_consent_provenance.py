"""Consent provenance: the Telegram account a consent came from, the role it was given in and
that person's name at the time. Older rows keep them empty (not known, not guessed).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.add_column(sa.Column("from_account", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("from_role", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("from_name", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.drop_column("from_name")
        batch.drop_column("from_role")
        batch.drop_column("from_account")
