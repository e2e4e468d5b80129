"""People and what ties them to a child: a child's profile, links to adults, invites, consent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.adapters.db.models.base import Base, Id


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
