"""Enrolment by invite: making invites (chat, command line, roster) and redeeming them.

A person record exists from the moment the invite is made, so a coordinator can invite a child's
parent and volunteer before the child has joined. Codes are stored hashed and used once.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.adapters.db.models import ChildProfile, Person
from bot.adapters.db.store import Store
from bot.domain.accounts import join_refusal
from bot.domain.invites import deep_link, hash_code, new_code
from bot.domain.people import AGE_BANDS, Guardianship, LinkKind, Role, clean_name, nickname_key
from bot.services.deps import Deps
from bot.services.errors import UserError

INVITE_KINDS = (*(role.value for role in Role), "carer")


@dataclass(frozen=True)
class InviteRequest:
    role: Role
    name: str = ""
    child: str = ""
    age_band: str = ""
    guardianship: str = ""
    village: str = ""
    school: str = ""
    carer: bool = False  # a family adult who lives with the child (e.g. a grandparent)

    @classmethod
    def of(cls, kind: str, **fields: str) -> InviteRequest:
        """From an invite kind as people type it: a role, or "carer" (a family adult at home)."""
        if kind == "carer":
            return cls(role=Role.PARENT, carer=True, **fields)
        return cls(role=Role(kind), **fields)


@dataclass(frozen=True)
class IssuedInvite:
    person_id: int
    role: Role
    name: str
    code: str
    link: str
    expires_at: datetime


def _name(raw: str, what: str) -> str:
    try:
        return clean_name(raw)
    except ValueError as exc:
        raise UserError("bad_name", what=what, problem=str(exc)) from None


async def _child_for(store: Store, nickname: str) -> Person:
    if not nickname.strip():
        raise UserError("child_required")
    found = await store.people.child_by_nickname(nickname)
    if found is None:
        raise UserError("child_not_found", nickname=nickname)
    return found[0]


async def _new_child(deps: Deps, store: Store, req: InviteRequest, now: datetime) -> Person:
    nickname = _name(req.name, "nickname")
    if req.age_band not in AGE_BANDS:
        raise UserError("bad_age_band", value=req.age_band, choices=", ".join(AGE_BANDS))
    if req.guardianship not in {g.value for g in Guardianship}:
        choices = ", ".join(g.value for g in Guardianship)
        raise UserError("bad_guardianship", value=req.guardianship, choices=choices)
    existing = await store.people.child_by_nickname(nickname)
    if existing is not None:
        person, _ = existing
        if person.telegram_id is not None:
            raise UserError("already_enrolled", name=nickname)
        return person  # a fresh link for a child who never joined
    person = _person(deps, Role.CHILD, nickname, now)
    store.add(person)
    await store.flush()
    store.add(
        ChildProfile(
            person_id=person.id,
            nickname_key=nickname_key(nickname),
            age_band=req.age_band,
            guardianship=req.guardianship,
            village=req.village or None,
            school=req.school or None,
            schedule=deps.settings.checkin_schedule,
            paused=False,
            next_checkin_at=None,
        )
    )
    return person


def _person(deps: Deps, role: Role, name: str, now: datetime) -> Person:
    return Person(
        role=role.value,
        display_name=name,
        telegram_id=None,
        locale=deps.settings.default_locale,
        timezone=deps.settings.timezone,
        created_at=now,
    )


async def _new_adult(deps: Deps, store: Store, req: InviteRequest, now: datetime) -> Person:
    child = await _child_for(store, req.child) if req.role != Role.COORDINATOR else None
    needs_name = req.role == Role.COORDINATOR or req.name.strip()
    name = _name(req.name, "name") if needs_name else ""
    if req.role == Role.VOLUNTEER and child is None:
        raise UserError("child_required")
    person = _person(deps, req.role, name, now)
    store.add(person)
    await store.flush()
    if child is not None:
        kind = LinkKind.VOLUNTEER
        if req.role == Role.PARENT:
            kind = LinkKind.CARER if req.carer else LinkKind.PARENT
        await store.people.add_link(kind, person.id, child.id, now)
    return person


async def create_invite(
    deps: Deps, store: Store, req: InviteRequest, created_by: int | None
) -> IssuedInvite:
    """Make the person (or reuse a child who never joined) and a fresh single-use code."""
    now = deps.clock.now()
    if req.role == Role.CHILD:
        person = await _new_child(deps, store, req, now)
    else:
        person = await _new_adult(deps, store, req, now)
    code = new_code()
    expires = now + timedelta(days=deps.settings.invite_ttl_days)
    await store.invites.add_invite(
        code_hash=hash_code(code),
        person_id=person.id,
        created_by=created_by,
        now=now,
        expires_at=expires,
    )
    return IssuedInvite(
        person_id=person.id,
        role=req.role,
        name=person.display_name,
        code=code,
        link=deep_link(deps.bot_username, code),
        expires_at=expires,
    )


async def redeem_invite(
    deps: Deps,
    store: Store,
    code: str,
    telegram_id: int,
    language_code: str | None,
    first_name: str = "",
) -> Person | None:
    """Bind the account to the invited person; None for any wrong, used or expired code.

    Raises UserError when the account may not hold this person too (`join_refusal`): staff
    and family, or a child and a parent or carer, never share an account.

    An adult invited without a name takes their Telegram first name, so a child reads
    "a message from Mum" rather than a message from nobody.
    """
    now = deps.clock.now()
    invite = await store.invites.find_usable(hash_code(code), now)
    if invite is None:
        return None
    person = await store.get(Person, invite.person_id)
    if person is None or person.telegram_id not in (None, telegram_id):
        return None
    others = await store.people.people_on_account(telegram_id)
    # Checked before the claim, so a refused link keeps working for the person it is for
    # (a child who opens a far parent's link must not spend it).
    refusal = join_refusal((Role(p.role) for p in others if p.id != person.id), Role(person.role))
    if refusal is not None:
        raise UserError(refusal.value)
    if not await store.invites.claim(invite.id, now):
        return None
    same_adult = next((p for p in others if p.role == person.role == Role.PARENT.value), None)
    if same_adult is not None and same_adult.id != person.id:
        await store.people.merge_adult(person, same_adult)  # a sibling's invite
        return same_adult
    person.telegram_id = telegram_id
    person.unreachable_since = None
    if not person.display_name and person.role != Role.CHILD.value:
        with suppress(ValueError):  # an unusable Telegram name (rare) stays empty, as invited
            person.display_name = clean_name(first_name)
    if language_code and language_code.lower().startswith("en"):
        person.locale = "en"
    if others and others[0].id != person.id:
        person.locale = others[0].locale  # one phone, one language
    return person
