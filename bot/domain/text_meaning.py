"""What free words mean, in order: one decision over plain facts about the sender.

The order is the whole rule, so it lives here and nowhere else:

1. a note a volunteer was asked for (after "I contacted the child");
2. words a child writes soon after asking for help (/sos or the help button): for the volunteer;
3. a child's answer to a parent's message (Telegram's Reply, or after "Reply");
4. a parent's message to their child;
5. words for the check-in waiting for them, else a kind pointer to what the bot understands.

Crisis words from a child's account win over 2, 3 and 5: they stay with the alert, never reach
a parent, and the child gets the crisis reply (words already on a check-in stay there, marked).
The screen has judged the words before this is asked (`Facts.crisis`).

Some facts cost a lookup, and a few lookups change things as they always did (the check-in
stores its words; a stale "Reply" is forgotten). So facts start unknown (None) and `meaning`
names the next one it needs (`Ask`) until it can answer: a lookup is made only when every
reading before it has been ruled out, exactly as the cascade did.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Ask(StrEnum):
    """A fact still to look up before the words can be read."""

    NOTE = "note"  # does someone on the account owe a note on an alert?
    HELP = "help"  # did a child on the account ask for help a moment ago?
    REPLY = "reply"  # is a child answering a parent's message?
    PARENT = "parent"  # is this a parent with a child to write to?
    CHECKIN = "checkin"  # does a check-in wait for these words (stored if so)?


class Words(StrEnum):
    """What the check-in made of the words."""

    STORED = "stored"  # they were its last step's words, now saved
    UNCLEAR = "unclear"  # two siblings' check-ins wait on one phone: whose is unclear
    NONE = "none"  # no check-in waits for words


class Meaning(StrEnum):
    """How the words are answered."""

    STRANGER = "stranger"
    NOTE = "note"
    HELP_WORDS = "help_words"
    CRISIS_AFTER_HELP = "crisis_after_help"
    REPLY = "reply"
    CRISIS_IN_REPLY = "crisis_in_reply"
    PARENT_MESSAGE = "parent_message"
    CHECKIN_WORDS = "checkin_words"
    CRISIS_IN_CHECKIN = "crisis_in_checkin"
    CRISIS = "crisis"
    UNCLEAR = "unclear"
    FREE_TEXT = "free_text"


@dataclass(frozen=True)
class Facts:
    """What is known about one message of free words and its sender (None: not looked up)."""

    enrolled: bool
    has_text: bool  # a voice note without a caption has none: nothing to screen or note
    crisis: bool  # the screen found crisis words, and a child on the account wrote them
    note_awaited: bool | None = None
    help_awaited: bool | None = None
    replying: bool | None = None
    parent_writes: bool | None = None
    checkin: Words | None = None


def meaning(facts: Facts) -> Meaning | Ask:
    """The reading that applies, or the fact to look up next."""
    if not facts.enrolled:
        return Meaning.STRANGER
    if facts.has_text:
        if facts.note_awaited is None:
            return Ask.NOTE
        if facts.note_awaited:
            return Meaning.NOTE
        if facts.help_awaited is None:
            return Ask.HELP
        if facts.help_awaited:
            return Meaning.CRISIS_AFTER_HELP if facts.crisis else Meaning.HELP_WORDS
    if facts.replying is None:
        return Ask.REPLY
    if facts.replying:
        return Meaning.CRISIS_IN_REPLY if facts.crisis else Meaning.REPLY
    if facts.parent_writes is None:
        return Ask.PARENT
    if facts.parent_writes:
        return Meaning.PARENT_MESSAGE
    if facts.checkin is None:
        return Ask.CHECKIN
    if facts.checkin == Words.STORED:
        return Meaning.CRISIS_IN_CHECKIN if facts.crisis else Meaning.CHECKIN_WORDS
    if facts.crisis:
        return Meaning.CRISIS
    return Meaning.UNCLEAR if facts.checkin == Words.UNCLEAR else Meaning.FREE_TEXT


CRISIS_MEANINGS = frozenset(
    {
        Meaning.CRISIS_AFTER_HELP,
        Meaning.CRISIS_IN_REPLY,
        Meaning.CRISIS_IN_CHECKIN,
        Meaning.CRISIS,
    }
)
"""The readings whose answer is the crisis path's."""
