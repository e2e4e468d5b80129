"""A child's check-in words reach staff: the kind of a voice note (Telegram sends a file back
only by the method of its kind), whether the crisis screen already alerted on the words, and
an index that finds words still kept, for their retention.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORDS_KEPT = "text IS NOT NULL OR file_id IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("media_kind", sa.String(length=16), nullable=True))
        batch.add_column(
            sa.Column("crisis_alerted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Words from before this revision came as voice notes (audio files were not told apart).
    op.execute("UPDATE answers SET media_kind = 'voice' WHERE file_id IS NOT NULL")
    op.create_index(
        "ix_answers_words_kept",
        "answers",
        ["answered_at"],
        sqlite_where=sa.text(WORDS_KEPT),
        postgresql_where=sa.text(WORDS_KEPT),
    )


def downgrade() -> None:
    op.drop_index("ix_answers_words_kept", table_name="answers")
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("crisis_alerted")
        batch.drop_column("media_kind")
