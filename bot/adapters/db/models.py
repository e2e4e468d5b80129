"""The schema. Portable SQL only: it runs on SQLite and PostgreSQL alike.

Telegram ids exceed 32 bits, so they are BigInteger; primary keys use an Integer variant on SQLite
so they stay rowid aliases there.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.adapters.db.types import UtcDateTime
from bot.domain.contact import DEFAULT_CADENCE_DAYS

Id = BigInteger().with_variant(Integer(), "sqlite")
LIVE_ALERT = "status IN ('open', 'acknowledged')"
WORDS_KEPT = "text IS NOT NULL OR file_id IS NOT NULL"

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar = {datetime: UtcDateTime(), dict[str, Any]: JSON}


class Person(Base):
    """Anyone the program knows: child, parent, volunteer or coordinator.

    A person exists from the moment an invite is made; `telegram_id` is set when the invite is
    redeemed. Several children may share one Telegram account (a grandparent's phone).
    """

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(64))
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    locale: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    unreachable_since: Mapped[datetime | None]
    # What the next free text from this person answers (e.g. "outcome:12" after "I contacted
    # the child"); dialog state lives here so it survives a restart.
    awaiting: Mapped[str | None] = mapped_column(String(32))
    # A parent's working hours as a weekly window spec ("mon-sat 08:00-20:00"); nothing for
    # them is sent inside it. Many migrant parents work shifts, so they set it themselves.
    work_hours: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class ChildProfile(Base):
    """What the program needs to know about a child: a nickname, never a legal name."""

    __tablename__ = "child_profiles"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    nickname_key: Mapped[str] = mapped_column(String(64), unique=True)
    age_band: Mapped[str] = mapped_column(String(8))
    guardianship: Mapped[str] = mapped_column(String(24))
    village: Mapped[str | None] = mapped_column(String(64))
    school: Mapped[str | None] = mapped_column(String(64))
    schedule: Mapped[str] = mapped_column(String(64))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set exactly while the child may receive check-ins (joined, both consents, not paused).
    next_checkin_at: Mapped[datetime | None] = mapped_column(index=True)
    # A coordinator asked for a check-in now; the next tick opens it (in batches).
    adhoc_requested_at: Mapped[datetime | None] = mapped_column(index=True)
    # The child muted parents' messages until then; they wait, and the parent is not told why.
    relay_muted_until: Mapped[datetime | None]
    # When detection found the child consistently lonely (a standing flag: consider them for a
    # peer group). Set once; shown to the volunteer and coordinators, never to family.
    lonely_flagged_at: Mapped[datetime | None]


class Link(Base):
    """A parent, carer (e.g. a grandparent as guardian) or volunteer tied to a child."""

    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("kind", "adult_id", "child_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    adult_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]


class Invite(Base):
    """A single-use enrolment code, stored only as a hash."""

    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Consent(Base):
    """Guardian consent or the child's own assent, with how and by whom it was given.

    `recorded_by` is the person who tapped (a parent, carer or the child) or the coordinator
    who recorded a signed paper form. The `from_*` columns keep, as they were at that moment,
    the Telegram account it came from, the role it was given in (parent, carer, child,
    coordinator) and that person's name, so a coordinator can check later that a guardian's
    consent did not come from the child's own account, even after people are renamed or
    removed. They are empty for consents recorded before provenance was kept (revision 0007).
    """

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    from_account: Mapped[int | None] = mapped_column(BigInteger)
    from_role: Mapped[str | None] = mapped_column(String(16))
    from_name: Mapped[str | None] = mapped_column(String(64))
    given_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]


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


class DetectorStateRow(Base):
    """Each child's monitoring state, so detection resumes exactly where it was after a restart."""

    __tablename__ = "detector_states"
    child_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


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


class ProgramSetting(Base):
    """A switch a coordinator turns in chat for the whole program (e.g. mood words in updates)."""

    __tablename__ = "program_settings"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
