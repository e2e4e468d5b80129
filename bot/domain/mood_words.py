"""A week of a child's mood taps turned into a few gentle words for a parent.

Pure: it sees only the week's answered mood values (1 = saddest face .. 5 = happiest, as in
dialogs/checkin.yaml) and the local weekday each was given on. It never sees the child's words or
loneliness answers, so the wording cannot leak them. The result is a key; the words themselves
live in dialogs/weekly_update.yaml, in the parent's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

# Fewer answers than this say nothing reliable about a week.
MIN_ANSWERS = 2
DOWN_AT_MOST = 2  # 🙁 or 😢
CHEERFUL_AT_LEAST = 4  # 🙂 or 😄
# Tuesday to Thursday: the school week's middle.
MID_WEEK = frozenset({1, 2, 3})
# Friday on: the check-in after the last school day is when a weekend without parents begins.
WEEKEND = frozenset({4, 5, 6})


class MoodWording(StrEnum):
    MOSTLY_CHEERFUL = "mostly_cheerful"
    STEADY = "steady"
    MIXED = "mixed"
    A_BIT_DOWN = "a_bit_down"
    A_BIT_DOWN_MID_WEEK = "a_bit_down_mid_week"
    A_BIT_DOWN_AT_WEEKEND = "a_bit_down_at_weekend"
    NOT_ENOUGH_ANSWERS = "not_enough_answers"


def mood_wording(moods: Iterable[tuple[int, int]]) -> MoodWording:
    """The wording for a week of (mood 1-5, local weekday Monday=0 .. Sunday=6) answers.

    Rules, in order: too few answers say nothing; no low face is "mostly cheerful" when most
    faces were happy, else "steady"; low faces on most answers are "a bit down"; low faces all
    in the middle of the week, or all at its end, say when; anything else is "mixed".
    """
    answers = list(moods)
    for mood, weekday in answers:
        if not 1 <= mood <= 5 or not 0 <= weekday <= 6:
            raise ValueError(f"mood 1-5 and weekday 0-6 expected, got {(mood, weekday)}")
    if len(answers) < MIN_ANSWERS:
        return MoodWording.NOT_ENOUGH_ANSWERS
    down_days = {weekday for mood, weekday in answers if mood <= DOWN_AT_MOST}
    downs = sum(1 for mood, _ in answers if mood <= DOWN_AT_MOST)
    cheerful = sum(1 for mood, _ in answers if mood >= CHEERFUL_AT_LEAST)
    if not downs:
        return MoodWording.MOSTLY_CHEERFUL if 2 * cheerful > len(answers) else MoodWording.STEADY
    if 2 * downs > len(answers):
        return MoodWording.A_BIT_DOWN
    if down_days <= MID_WEEK:
        return MoodWording.A_BIT_DOWN_MID_WEEK
    if down_days <= WEEKEND:
        return MoodWording.A_BIT_DOWN_AT_WEEKEND
    return MoodWording.MIXED
