"""The outbox: messages the core has decided to send, drained by the Telegram layer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.adapters.db.models.base import Base, Id


class Outbox(Base):
    """A message the core has decided to send; the Telegram layer drains it.

    Writing the decision and the message in one transaction is what makes a restart lose nothing;
    `dedupe_key` is what makes a repeated decision send nothing twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "status", "send_after"),
        Index("ix_outbox_chat_message", "chat_id", "message_id"),  # a chat's known sends
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    body: Mapped[dict[str, Any]]
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    # The relayed family message this carries, which learns from the send whether it arrived.
    relay_id: Mapped[int | None] = mapped_column(
        ForeignKey("relays.id", ondelete="SET NULL"), index=True
    )
    dedupe_key: Mapped[str | None] = mapped_column(String(96), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    send_after: Mapped[datetime]
    # Higher goes first among what is due: an urgent alert must not queue behind a round of
    # 10,000 check-ins (at Telegram's 30 messages/s that would be minutes).
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    # A check-in's first claim notes the highest message id the bot knew in the chat: if that
    # send may have gone out unrecorded (a crash), its copy is among the ids above this floor.
    floor_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
