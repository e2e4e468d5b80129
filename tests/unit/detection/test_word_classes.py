"""Word classes: the map in dialogs/ is the one the shipped model was trained with, and the
class sequence reads what is done to whom, in order, longest match first."""

from __future__ import annotations

import pytest

from bench.train_crisis_model import load_word_classes
from bot.adapters.dialogs import load_crisis_lexicon, load_crisis_model
from bot.domain.detection.crisis import normalise
from bot.domain.detection.word_classes import (
    WordClassError,
    class_features,
    parse_word_classes,
    sequence,
)


def _sequence(text: str) -> list[str]:
    return sequence(normalise(text, load_crisis_lexicon()), load_crisis_model().word_classes)


def test_the_shipped_model_carries_exactly_the_map_in_dialogs():
    sources, _ = load_word_classes()
    assert dict(load_crisis_model().word_classes.sources) == sources  # edit the map: retrain


def test_a_sentence_reads_as_who_does_what_to_whom():
    assert _sequence("爸爸又打我 不许告诉奶奶") == [
        "parent",
        "hit",
        "self",
        "secrecy",
        "grandparent",
    ]
    assert _sequence("My uncle slapped me") == ["self", "relative", "hit", "self"]


def test_the_longest_match_wins_so_everyday_words_keep_their_meaning():
    assert _sequence("累死我了") == ["hyperbole", "self"]  # not "die"
    assert _sequence("今天帮爷爷打农药") == ["grandparent", "farm_food"]  # spraying, not a poison
    assert _sequence("给奶奶打电话") == ["grandparent", "everyday_verb"]  # a call, not a blow


def test_acts_on_oneself_online_contact_and_everyday_traps_have_their_own_classes():
    # round 3: what is done to oneself, who asks for what online, and words that only look
    # like a method (a lighter is a burn, not a blow; jump rope is not a jump)
    assert _sequence("我用打火机烧了自己的手") == ["self", "burn", "self_act", "limb"]
    assert _sequence("网上认识的哥哥让我发不穿衣服的照片") == [
        "online_contact",
        "sibling",
        "self",
        "send_pic",
    ]
    assert _sequence("要是睡着了就不用醒过来") == ["intent", "no_wake"]
    assert _sequence("今天体育课跳绳") == ["benign_act"]
    drunk = ["grandparent", "drunk", "locked_out"]
    assert _sequence("grandpa is drunk and locked me out") == drunk


def test_class_features_are_distinct_ngrams_worth_one_over_their_root():
    classes = parse_word_classes({"a": ["x"], "b": ["y"]})
    got = class_features("xy", classes)
    assert set(got) == {"a", "b", "a b"}
    assert all(value == pytest.approx(3**-0.5) for value in got.values())
    assert class_features("zzz", classes) == {}


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ({}, r"expected a mapping of 1\.\.200"),
        ({"Bad-Name": ["x"]}, r"lower-case letters"),
        ({"a": []}, r"a: expected a non-empty list"),
        ({"a": ["("]}, r"a: not a valid regular expression"),
        ({"a": ["x?"]}, r"a: a pattern matches the empty string"),
    ],
)
def test_a_malformed_map_is_refused_naming_the_class(raw, error):
    with pytest.raises(WordClassError, match=error):
        parse_word_classes(raw)
