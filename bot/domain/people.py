"""Who takes part in the program, and the few facts kept about a child (no legal names)."""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class Role(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"


class LinkKind(StrEnum):
    PARENT = "parent"  # a mother or father, usually working far away
    CARER = "carer"  # the adult at home with the child (a grandparent, an aunt): a guardian
    VOLUNTEER = "volunteer"


class Guardianship(StrEnum):
    """Who looks after the child day to day (the categories the program's intake form uses)."""

    GRANDPARENTS = "grandparents"
    RELATIVES = "relatives"
    ONE_PARENT = "one_parent"
    UNSUPERVISED = "unsupervised"
    OTHER = "other"


AGE_BANDS = ("7-9", "10-12", "13-14")
MAX_NAME_LENGTH = 32

# Commands each role may use, in the order /help lists them. Children on a shared phone may also
# hold another role, so help lists the union for everyone on the account.
COMMANDS: dict[Role, tuple[str, ...]] = {
    Role.CHILD: ("sos", "share", "pause", "resume", "mute", "unmute", "language", "help"),
    Role.PARENT: ("call", "visit", "reminders", "timezone", "workhours", "language", "help"),
    Role.VOLUNTEER: ("alerts", "mychildren", "child", "note", "language", "help"),
    Role.COORDINATOR: (
        "alerts",
        "mychildren",
        "child",
        "note",
        "invite",
        "assign",
        "consent",
        "schedule",
        "checkin_now",
        "relay",
        "moodwords",
        "flagged",
        "visit",
        "language",
        "help",
    ),
}


def nickname_key(nickname: str) -> str:
    """The form two nicknames are compared in, so "XiaoMing" and "xiaoming " are one child."""
    return unicodedata.normalize("NFKC", nickname).strip().casefold()


def clean_name(name: str) -> str:
    """A display name or nickname as stored; raises ValueError with the reason if unusable."""
    cleaned = " ".join(unicodedata.normalize("NFKC", name).split())
    if not cleaned:
        raise ValueError("empty")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ValueError("too_long")
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise ValueError("control_characters")
    return cleaned


def commands_for(roles: set[Role]) -> list[str]:
    """Commands for a set of roles, without repeats, in a stable order."""
    seen: list[str] = []
    for role in Role:
        if role in roles:
            seen.extend(c for c in COMMANDS[role] if c not in seen)
    return seen
