"""Shared zones, fixed windows and time helpers of the schedule tests."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.domain.schedule import BlockedTimes, WeeklySchedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
WEEKDAYS = frozenset(range(5))
# The deployment's defaults live in bot.config; these are the tests' own fixed windows.
DEFAULT_SCHEDULE = WeeklySchedule.parse("mon,wed,fri 17:30")
DEFAULT_BLOCKED = BlockedTimes.parse(["mon-fri 08:00-16:30", "daily 21:00-07:00"])


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def sh(*args: int) -> datetime:
    """Shanghai wall time; 2024-01-01 is a Monday."""
    return datetime(*args, tzinfo=SHANGHAI)
