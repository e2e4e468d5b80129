"""Bulk enrolment from a CSV roster: one invite link per row, all rows or none.

Coordinators onboard a whole class at once. Columns: role, name, child, age_band, guardianship,
village, school (only those a role needs must be filled; header names are case-insensitive).
The file may be UTF-8 (with or without the BOM Excel adds) or GB18030/GBK, which Excel on Chinese
Windows writes by default.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.config import ConfigError
from bot.domain.people import Role, clean_name, nickname_key
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.people.enrolment import INVITE_KINDS, InviteRequest, IssuedInvite, create_invite

COLUMNS = ("role", "name", "child", "age_band", "guardianship", "village", "school")


@dataclass(frozen=True)
class RosterError(Exception):
    row: int
    error: UserError


def _text(path: Path) -> str:
    """The file's text: UTF-8 (BOM or not), else GB18030, a superset of GBK and GB2312."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read roster file {path}: {error.strerror or error}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    raise ConfigError(
        f"roster file {path} is not UTF-8 or GBK text: save it from Excel as CSV (UTF-8)"
    )


def _optional(row: int, column: str, value: str) -> str:
    """A village or school: may be empty, otherwise cleaned and checked like a name."""
    if not value.strip():
        return ""
    try:
        return clean_name(value)
    except ValueError as exc:
        raise RosterError(
            row, UserError("roster_bad_field", column=column, problem=str(exc))
        ) from None


def _child_key(name: str) -> str | None:
    try:
        return nickname_key(clean_name(name))
    except ValueError:
        return None  # an unusable nickname is reported for its row by create_invite


def read_roster(path: Path) -> list[tuple[int, InviteRequest]]:
    """Parse the file; row numbers count the header as row 1, as a spreadsheet shows them."""
    reader = csv.DictReader(io.StringIO(_text(path), newline=""))
    requests = []
    children: dict[str, int] = {}  # nickname key -> the first row naming that child
    number = 1
    try:
        for number, raw in enumerate(reader, start=2):
            # Cells beyond the header (key None) have no column name; they are ignored.
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
            if not any(row.values()):
                continue
            kind = row.get("role", "").lower()
            if kind not in INVITE_KINDS:
                raise RosterError(number, UserError("invite_usage"))
            fields = {c: row.get(c, "") for c in COLUMNS if c != "role"}
            for column in ("village", "school"):
                fields[column] = _optional(number, column, fields[column])
            key = _child_key(fields["name"]) if kind == Role.CHILD else None
            if key is not None:
                if key in children:
                    raise RosterError(
                        number,
                        UserError(
                            "roster_duplicate_child", nickname=fields["name"], first=children[key]
                        ),
                    )
                children[key] = number
            requests.append((number, InviteRequest.of(kind, **fields)))
    except csv.Error as error:
        raise ConfigError(
            f"roster file {path} is not valid CSV (near row {number + 1}): {error}"
        ) from None
    return requests


async def import_roster(
    deps: Deps, requests: Iterable[tuple[int, InviteRequest]]
) -> list[tuple[int, IssuedInvite]]:
    """Create every invite in one transaction; the first bad row rolls all of them back."""
    issued = []
    async with deps.stores.begin() as store:
        for number, request in requests:
            try:
                issued.append((number, await create_invite(deps, store, request, None)))
            except UserError as error:
                raise RosterError(number, error) from None
    return issued
