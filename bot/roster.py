"""Bulk enrolment from a CSV roster: one invite link per row, all rows or none.

Coordinators onboard a whole class at once. Columns: role, name, child, age_band, guardianship,
village, school (only those a role needs must be filled; header names are case-insensitive).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.domain.people import Role
from bot.services.deps import Deps
from bot.services.enrolment import InviteRequest, IssuedInvite, create_invite
from bot.services.errors import UserError

COLUMNS = ("role", "name", "child", "age_band", "guardianship", "village", "school")


@dataclass(frozen=True)
class RosterError(Exception):
    row: int
    error: UserError


def read_roster(path: Path) -> list[tuple[int, InviteRequest]]:
    """Parse the file; row numbers count the header as row 1, as a spreadsheet shows them."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        requests = []
        for number, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
            if not any(row.values()):
                continue
            try:
                role = Role(row.get("role", "").lower())
            except ValueError:
                raise RosterError(number, UserError("invite_usage")) from None
            fields = {c: row.get(c, "") for c in COLUMNS if c != "role"}
            requests.append((number, InviteRequest(role=role, **fields)))
    return requests


async def import_roster(
    deps: Deps, requests: Iterable[tuple[int, InviteRequest]]
) -> list[tuple[int, IssuedInvite]]:
    """Create every invite in one transaction; the first bad row rolls all of them back."""
    issued = []
    async with deps.sessions.begin() as session:
        for number, request in requests:
            try:
                issued.append((number, await create_invite(deps, session, request, None)))
            except UserError as error:
                raise RosterError(number, error) from None
    return issued
