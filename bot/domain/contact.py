"""Rules for keeping parents and children in touch: cadence, back-off and a parent's good hour.

Pure: the current time is always passed in.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.schedule import BlockedTimes, next_allowed

# Nudge a parent who has sent nothing for this long. Field studies of left-behind children find
# the regularity of contact matters more than its length; weekly is what programs ask parents for.
DEFAULT_CADENCE_DAYS = 7


def adult_blocked_times(quiet: BlockedTimes, work_hours: str | None) -> BlockedTimes:
    """When not to message a parent: night quiet hours plus their own working hours.

    Working hours that, with the night, leave no free minute (a seven-day shift pattern typed
    as "daily 07:00-22:00") are ignored rather than silencing the parent for good.
    """
    if not work_hours:
        return quiet
    combined = BlockedTimes(
        (*quiet.windows, *BlockedTimes.parse(split_windows(work_hours)).windows)
    )
    return quiet if combined.covers_whole_week() else combined


def split_windows(spec: str) -> list[str]:
    """ "mon-fri 08:00-18:00; sat 08:00-12:00" -> one window spec each."""
    return [part.strip() for part in spec.split(";") if part.strip()]


def good_hour(
    now: datetime, tz: ZoneInfo, quiet: BlockedTimes, work_hours: str | None
) -> datetime:
    """The first moment from `now` that is outside the adult's night and working hours."""
    return next_allowed(now, tz, adult_blocked_times(quiet, work_hours))
