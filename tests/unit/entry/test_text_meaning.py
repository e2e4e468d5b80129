"""The order in which free words are read (bot/domain/text_meaning.py), every branch.

`answer` plays the lookups: it hands `meaning` each fact it asks for from a table of what is
true, and records the order it asked in, so a test shows both what the words mean and which
lookups were made (a lookup nobody needed must not be made: some change things).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain.text_meaning import CRISIS_MEANINGS, Ask, Facts, Meaning, Words, meaning

FIELD = {
    Ask.NOTE: "note_awaited",
    Ask.HELP: "help_awaited",
    Ask.REPLY: "replying",
    Ask.PARENT: "parent_writes",
    Ask.CHECKIN: "checkin",
}


def answer(
    truth: dict[Ask, object],
    *,
    enrolled: bool = True,
    has_text: bool = True,
    crisis: bool = False,
) -> tuple[Meaning, list[Ask]]:
    """What the words mean when the lookups find `truth` (False or Words.NONE otherwise)."""
    facts = Facts(enrolled=enrolled, has_text=has_text, crisis=crisis)
    asked: list[Ask] = []
    while True:
        result = meaning(facts)
        if isinstance(result, Meaning):
            return result, asked
        assert result not in asked, f"{result} asked twice"
        asked.append(result)
        default: object = Words.NONE if result == Ask.CHECKIN else False
        facts = replace(facts, **{FIELD[result]: truth.get(result, default)})


EVERYTHING: dict[Ask, object] = {
    Ask.NOTE: True,
    Ask.HELP: True,
    Ask.REPLY: True,
    Ask.PARENT: True,
    Ask.CHECKIN: Words.STORED,
}


def test_a_stranger_is_a_stranger_whatever_is_said_and_nothing_is_looked_up() -> None:
    assert answer(EVERYTHING, enrolled=False, crisis=True) == (Meaning.STRANGER, [])


def test_an_awaited_note_comes_first_even_before_a_crisis_on_a_shared_phone() -> None:
    assert answer(EVERYTHING) == (Meaning.NOTE, [Ask.NOTE])
    assert answer(EVERYTHING, crisis=True) == (Meaning.NOTE, [Ask.NOTE])


def test_words_after_asking_for_help_come_next() -> None:
    truth = {**EVERYTHING, Ask.NOTE: False}
    assert answer(truth) == (Meaning.HELP_WORDS, [Ask.NOTE, Ask.HELP])
    assert answer(truth, crisis=True) == (Meaning.CRISIS_AFTER_HELP, [Ask.NOTE, Ask.HELP])


def test_without_text_there_is_no_note_and_no_help_words_to_look_for() -> None:
    """A voice note without a caption: straight to the reply, the parent and the check-in."""
    assert answer(EVERYTHING, has_text=False) == (Meaning.REPLY, [Ask.REPLY])
    truth = {Ask.CHECKIN: Words.STORED}
    assert answer(truth, has_text=False) == (
        Meaning.CHECKIN_WORDS,
        [Ask.REPLY, Ask.PARENT, Ask.CHECKIN],
    )


def test_a_childs_answer_to_a_parent_and_crisis_words_in_it() -> None:
    truth = {**EVERYTHING, Ask.NOTE: False, Ask.HELP: False}
    asked = [Ask.NOTE, Ask.HELP, Ask.REPLY]
    assert answer(truth) == (Meaning.REPLY, asked)
    assert answer(truth, crisis=True) == (Meaning.CRISIS_IN_REPLY, asked)


def test_a_parents_message_is_never_screened_as_a_crisis() -> None:
    """`crisis` is only ever true with a child on the account; even so a parent's wins."""
    truth = {Ask.PARENT: True, Ask.CHECKIN: Words.STORED}
    asked = [Ask.NOTE, Ask.HELP, Ask.REPLY, Ask.PARENT]
    assert answer(truth) == (Meaning.PARENT_MESSAGE, asked)
    assert answer(truth, crisis=True) == (Meaning.PARENT_MESSAGE, asked)


ALL_ASKED = [Ask.NOTE, Ask.HELP, Ask.REPLY, Ask.PARENT, Ask.CHECKIN]


@pytest.mark.parametrize(
    ("words", "crisis", "expected"),
    [
        (Words.STORED, False, Meaning.CHECKIN_WORDS),
        (Words.STORED, True, Meaning.CRISIS_IN_CHECKIN),
        (Words.UNCLEAR, False, Meaning.UNCLEAR),
        (Words.UNCLEAR, True, Meaning.CRISIS),  # whose words is unclear; the crisis is not
        (Words.NONE, False, Meaning.FREE_TEXT),
        (Words.NONE, True, Meaning.CRISIS),
    ],
)
def test_last_the_check_in_then_crisis_words_then_a_kind_pointer(
    words: Words, crisis: bool, expected: Meaning
) -> None:
    assert answer({Ask.CHECKIN: words}, crisis=crisis) == (expected, ALL_ASKED)


def test_every_meaning_is_reachable_and_crisis_readings_only_with_crisis_words() -> None:
    seen: set[Meaning] = set()
    for enrolled in (True, False):
        for has_text in (True, False):
            for crisis in (True, False):
                for first in (None, *FIELD):
                    for words in Words:
                        truth: dict[Ask, object] = {Ask.CHECKIN: words}
                        if first is not None and first != Ask.CHECKIN:
                            truth[first] = True
                        found, _ = answer(
                            truth, enrolled=enrolled, has_text=has_text, crisis=crisis
                        )
                        seen.add(found)
                        if found in CRISIS_MEANINGS:
                            assert crisis
    assert seen == set(Meaning)
