"""Check-ins, each tap or word of them, and each child's detector state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.adapters.db.models.base import Base, Id

WORDS_KEPT = "text IS NOT NULL OR file_id IS NOT NULL"


class Checkin(Base):
    """One check-in: its lifecycle, the message it lives in and which step the child is on."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_open_expiry", "status", "expires_at"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    step: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    remind_at: Mapped[datetime | None] = mapped_column(index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    score: Mapped[int | None]
    completed_at: Mapped[datetime | None]


class Answer(Base):
    """One tap or word, stored the moment it arrives.

    A child's words (`text`, or a voice note's `file_id` and `media_kind`) are cleared after
    child_words.WORDS_RETENTION; the partial index finds those still kept without a scan.
    """

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("checkin_id", "question"),
        Index(
            "ix_answers_words_kept",
            "answered_at",
            sqlite_where=text(WORDS_KEPT),
            postgresql_where=text(WORDS_KEPT),
        ),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(32))
    value: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(256))
    # "voice" or "audio": Telegram sends a file back only by the method of its own kind.
    media_kind: Mapped[str | None] = mapped_column(String(16))
    # The crisis screen sent these words to staff as an urgent alert (marked in /child).
    crisis_alerted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    answered_at: Mapped[datetime]


class DetectorStateRow(Base):
    """Each child's monitoring state, so detection resumes exactly where it was after a restart."""

    __tablename__ = "detector_states"
    child_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
