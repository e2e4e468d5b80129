"""Rules for keeping parents and children in touch: cadence, back-off and a parent's good hour.

Pure: the current time is always passed in.
"""

from __future__ import annotations

# Nudge a parent who has sent nothing for this long. Field studies of left-behind children find
# the regularity of contact matters more than its length; weekly is what programs ask parents for.
DEFAULT_CADENCE_DAYS = 7
