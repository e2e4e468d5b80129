"""Dates and times in a person's own timezone and language (Babel)."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_skeleton, format_time

from bot.services.deps import Deps


def local_time(deps: Deps, moment: datetime, timezone: str | None, locale: str) -> str:
    """E.g. "Wed, Nov 25 5:30 PM" in the reader's language; always from an aware datetime."""
    local = moment.astimezone(deps.tz_of(timezone))
    day = format_skeleton("MMMEd", local, locale=locale)
    return f"{day} {format_time(local, 'short', tzinfo=local.tzinfo, locale=locale)}"


def local_date(deps: Deps, moment: datetime, timezone: str | None, locale: str) -> str:
    """E.g. "Nov 25, 2026" in the reader's language, on the reader's own calendar."""
    return format_skeleton("yMMMd", moment.astimezone(deps.tz_of(timezone)), locale=locale)
