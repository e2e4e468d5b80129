"""Alerts about a child, the case notes on them, and the log of who looked at a record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.adapters.db.models.base import Base, Id

LIVE_ALERT = "status IN ('open', 'acknowledged')"


class Alert(Base):
    """A concern about a child, from detection, a crisis word or a task, until someone closes it.

    `escalate_at` is the next step of the escalation ladder; the tick collects those that are due,
    so a restart neither forgets nor repeats a step.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_child_reason", "child_id", "reason", "status"),
        # One live alert per child and reason, even when two messages race on PostgreSQL.
        Index(
            "uq_alerts_live_child_reason",
            "child_id",
            "reason",
            unique=True,
            sqlite_where=text(LIVE_ALERT),
            postgresql_where=text(LIVE_ALERT),
        ),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(24))
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]]
    opened_at: Mapped[datetime]
    since: Mapped[datetime]
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalate_at: Mapped[datetime | None] = mapped_column(index=True)
    acknowledged_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    acknowledged_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class CaseNote(Base):
    """A volunteer's or social worker's note about a child (casework record)."""

    __tablename__ = "case_notes"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class AccessLog(Base):
    """Who looked at which child's record, and when (least-privilege access with a log, as the
    CAC provisions on children's personal information require)."""

    __tablename__ = "access_log"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    viewer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
