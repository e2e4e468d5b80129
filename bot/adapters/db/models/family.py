"""Keeping a child and the family in touch: contact plans, relayed messages, calls, visits
and their follow-ups, and the highlights a child shares."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.adapters.db.models.base import Base, Id
from bot.domain.contact import DEFAULT_CADENCE_DAYS


class ContactPlan(Base):
    """One parent's contact with one child: nudges, the agreed weekly call, the weekly update.

    Every time column here is the next moment something is due, so the tick only has to ask the
    database what is due (a restart loses nothing, repeats nothing).
    """

    __tablename__ = "contact_plans"
    __table_args__ = (UniqueConstraint("parent_id", "child_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    cadence_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_CADENCE_DAYS)
    last_contact_at: Mapped[datetime | None]
    next_nudge_at: Mapped[datetime | None] = mapped_column(index=True)
    nudges_ignored: Mapped[int] = mapped_column(Integer, default=0)
    nudges_stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    # The conversation starter of the last nudge, so the next one is never the same.
    last_starter: Mapped[str | None] = mapped_column(String(32))
    # A coordinator paused this parent's messages for safeguarding (e.g. a court order).
    relay_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # The agreed weekly call as "sun 19:30" on the child's clock, and its next occurrence.
    call_schedule: Mapped[str | None] = mapped_column(String(32))
    next_call_at: Mapped[datetime | None] = mapped_column(index=True)
    # A call time the parent proposed that the child (or a carer) has not answered yet; kept
    # apart from the agreed one, which stays until the new one is agreed. A button for an
    # older or withdrawn proposal no longer matches it, so it changes nothing.
    call_proposal: Mapped[str | None] = mapped_column(String(32))
    next_update_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime]


class Relay(Base):
    """A message carried between a parent and a child, queued until the recipient may get it.

    The content is kept only to deliver it; logs name who, when and what kind, never the words.
    """

    __tablename__ = "relays"
    __table_args__ = (Index("ix_relays_due", "status", "deliver_after"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    # Empty while a parent with several children is still choosing whom it is for.
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(256))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("relays.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16))
    deliver_after: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]


class CallRecord(Base):
    """One occurrence of an agreed call and whether the child says it happened."""

    __tablename__ = "calls"
    __table_args__ = (
        UniqueConstraint("plan_id", "scheduled_at"),
        # The tick asks "which calls are due to be asked about / closed unanswered?"
        Index("ix_calls_due", "status", "scheduled_at"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("contact_plans.id", ondelete="CASCADE"))
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    scheduled_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    answered_at: Mapped[datetime | None]


class Visit(Base):
    """A parent's stay at home; its end is a departure, after which loneliness often peaks."""

    __tablename__ = "visits"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class FollowUp(Base):
    """An extra light check-in for a child or an extra nudge for a parent after a departure."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(index=True)
    done_at: Mapped[datetime | None]


class Highlight(Base):
    """Something good the child chose, from a fixed list, to share in the parent's update."""

    __tablename__ = "highlights"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
