"""Who may share one Telegram account, and whose taps on it may count as a guardian's.

Several children may share one account (many use a grandparent's phone), and a parent invited
once per child becomes one person with all the children. Two mixes are refused, whichever came
first, so the order people happen to join in never decides what an account may do:

- staff and family: a coordinator's account holding a child would let the household read
  casework;
- a child and a family adult (parent or carer): a guardian's consent tapped there cannot be told
  apart from the child's own, so a child opening a far parent's link would consent for
  themselves (PIPL art. 31 asks the guardian's consent for a child under 14) and take the
  parent's place.

A refused invite stays usable for the person it was meant for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from enum import StrEnum

from bot.domain.people import Role

FAMILY = frozenset({Role.CHILD, Role.PARENT})


class JoinRefusal(StrEnum):
    """Why an invite cannot be taken on this account; each names the text the person reads."""

    STAFF_AND_FAMILY = "invite_for_someone_else"
    ADULT_ON_CHILD_ACCOUNT = "invite_for_an_adult"
    CHILD_ON_ADULT_ACCOUNT = "invite_for_a_child"


def join_refusal(held: Iterable[Role], joining: Role) -> JoinRefusal | None:
    """Why an account holding `held` may not also take a `joining` invite, or None."""
    roles = set(held)
    if any((role in FAMILY) != (joining in FAMILY) for role in roles):
        return JoinRefusal.STAFF_AND_FAMILY
    if joining == Role.PARENT and Role.CHILD in roles:
        return JoinRefusal.ADULT_ON_CHILD_ACCOUNT
    if joining == Role.CHILD and Role.PARENT in roles:
        return JoinRefusal.CHILD_ON_ADULT_ACCOUNT
    return None


def may_give_guardian_consent(held: Iterable[Role]) -> bool:
    """A guardian's consent counts only from an account that holds no child at all.

    New accounts cannot mix the two (see `join_refusal`); this also holds for accounts shared
    before that rule, whose taps could be the child's. Their guardian signs the paper form.
    """
    return Role.CHILD not in set(held)


def account_reference(telegram_id: int) -> str:
    """A short, stable tag for an account, so a coordinator can tell two accounts apart (or
    see that two consents came from one) without the Telegram id itself lingering in chat."""
    digest = hashlib.sha256(f"tongban-account:{telegram_id}".encode("ascii")).hexdigest()
    return digest[:6].upper()
