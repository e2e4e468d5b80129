"""The crisis screen's second reader: a small linear model over character n-grams.

The lexicon knows its own words; this model has read the training probes and scores what a
message means when it is said in other words. It is data,
`dialogs/crisis_model.json`, trained by `bench/train_crisis_model.py` with scikit-learn and
scored here in plain Python: no numpy or scikit-learn at run time.

Scoring: two kinds of features of the normalised text (crisis.normalise): its distinct 1..n
character n-grams, and the 1..3-grams of the word classes it contains (word_classes.py: "a
family member - hits - me", with the class map copied into the model file). Each kind's
features are worth 1/sqrt(how many that kind has); their weights are summed into one logit per
category against "everyday" (a multinomial logistic regression with the everyday class as
reference).
The score is the probability that the message is not everyday; its category is the likeliest
crisis category. The file also says the two thresholds: above `high` the message is urgent,
between `low` and `high` the volunteer is asked to read it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.domain.detection.crisis_lexicon import CATEGORIES, KINDS
from bot.domain.detection.word_classes import (
    PAIR,
    WordClassError,
    WordClasses,
    class_features,
    parse_word_classes,
)

_KEYS = frozenset(
    {
        "version",
        "categories",
        "ngram_max",
        "bias",
        "weights",
        "word_classes",
        "class_weights",
        "low",
        "high",
        "lexicon_floor",
        "lexicon_sure",
        "training_sha256",
    }
)
CLASS_PREFIX = "\x01"  # marks a word-class feature among character n-grams (training only)
CLASS_NGRAM_MAX = 3
_KEYS_OPTIONAL = frozenset({"about", "params"})  # for people and the bench; not scored


class ModelError(ValueError):
    """The model data is malformed; the message names the field (and the file, from the
    loader)."""


@dataclass(frozen=True)
class CrisisModel:
    version: str
    categories: tuple[str, ...]  # the order of every weight list and of the bias
    ngram_max: int  # n-grams of 1..ngram_max characters
    bias: tuple[float, ...]  # per category, against everyday
    weights: Mapping[str, tuple[float, ...]]  # n-gram -> one weight per category
    word_classes: WordClasses  # the class map the model was trained with
    class_weights: Mapping[str, tuple[float, ...]]  # class 1..3-gram -> one weight per category
    low: float  # at or above: the volunteer is asked to read the words (not urgent)
    high: float  # at or above: urgent, as a lexicon finding
    # A lexicon hit whose words are of no `lexicon_sure` kind, with a model score below this,
    # asks the volunteer to read rather than raising an alarm (crisis.assess).
    lexicon_floor: float
    lexicon_sure: frozenset[str]  # lexicon kinds that are urgent whatever the model says
    training_sha256: str  # of the probe files it was trained on


@dataclass(frozen=True)
class ModelScore:
    score: float  # probability the message is not everyday speech, 0..1
    category: str  # the likeliest crisis category


def features(clean: str, ngram_max: int) -> dict[str, float]:
    """Distinct character n-grams of normalised text (padded by a space at each end), each
    1/sqrt(their number): a message's length does not decide its score. Shared with the
    training script, so the two can never disagree."""
    padded = f" {clean} "
    grams = {
        padded[i : i + n]
        for n in range(1, ngram_max + 1)
        for i in range(len(padded) - n + 1)
        if padded[i : i + n].strip()
    }
    if not grams:
        return {}
    value = 1.0 / math.sqrt(len(grams))
    return dict.fromkeys(grams, value)


def all_features(clean: str, ngram_max: int, classes: WordClasses) -> dict[str, float]:
    """Character n-grams and prefixed word-class n-grams: the training script's view."""
    grams = features(clean, ngram_max)
    for gram, value in class_features(clean, classes, CLASS_NGRAM_MAX).items():
        grams[CLASS_PREFIX + gram] = value
    return grams


def score(clean: str, model: CrisisModel) -> ModelScore:
    """Score normalised text; n-grams the model does not know add nothing."""
    logits = list(model.bias)
    for table, grams in (
        (model.weights, features(clean, model.ngram_max)),
        (model.class_weights, class_features(clean, model.word_classes, CLASS_NGRAM_MAX)),
    ):
        for gram, value in grams.items():
            weights = table.get(gram)
            if weights is not None:
                for i, weight in enumerate(weights):
                    logits[i] += weight * value
    # p(everyday) = 1 / (1 + sum(exp(logit))), computed around the largest term so that no
    # exp() overflows.
    top = max(0.0, *logits)
    everyday = math.exp(-top)
    p_everyday = everyday / (everyday + sum(math.exp(logit - top) for logit in logits))
    best = max(range(len(logits)), key=logits.__getitem__)
    return ModelScore(1.0 - p_everyday, model.categories[best])


def parse_model(data: Any) -> CrisisModel:
    """Validate plain data (as read from JSON); raises ModelError naming the field."""
    if not isinstance(data, Mapping):
        raise ModelError("expected an object")
    missing = sorted(_KEYS - data.keys())
    unknown = sorted(set(data) - _KEYS - _KEYS_OPTIONAL)
    if missing or unknown:
        raise ModelError(f"missing keys {missing}, unknown keys {unknown}")
    categories = data["categories"]
    if (
        not isinstance(categories, list)
        or len(categories) != len(CATEGORIES)
        or set(categories) != CATEGORIES
    ):
        raise ModelError(f"categories: expected each of {sorted(CATEGORIES)} once")
    ngram_max = data["ngram_max"]
    if isinstance(ngram_max, bool) or not isinstance(ngram_max, int) or not 1 <= ngram_max <= 8:
        raise ModelError(f"ngram_max: expected a whole number 1..8, got {ngram_max!r}")
    bias = _numbers(data["bias"], len(categories), "bias")
    raw_weights = data["weights"]
    if not isinstance(raw_weights, Mapping) or not raw_weights:
        raise ModelError("weights: expected a non-empty object of n-gram -> weights")
    weights = {}
    for gram, row in raw_weights.items():
        if not isinstance(gram, str) or not 1 <= len(gram) <= ngram_max:
            raise ModelError(f"weights: {gram!r} is not an n-gram of 1..{ngram_max} characters")
        weights[gram] = _numbers(row, len(categories), f"weights[{gram!r}]")
    try:
        word_classes = parse_word_classes(data["word_classes"])
    except WordClassError as error:
        raise ModelError(f"word_classes: {error}") from None
    class_weights = _class_weights(data["class_weights"], word_classes, len(categories))
    low, high = _probability(data["low"], "low"), _probability(data["high"], "high")
    floor = _probability(data["lexicon_floor"], "lexicon_floor")
    sure = data["lexicon_sure"]
    if not isinstance(sure, list) or not set(sure) <= KINDS:
        raise ModelError(f"lexicon_sure: expected a list of lexicon kinds {sorted(KINDS)}")
    if low > high:
        raise ModelError(f"low ({low}) must not be above high ({high})")
    for key in ("version", "training_sha256"):
        if not isinstance(data[key], str) or not data[key]:
            raise ModelError(f"{key}: expected a non-empty string")
    return CrisisModel(
        version=data["version"],
        categories=tuple(categories),
        ngram_max=ngram_max,
        bias=bias,
        weights=MappingProxyType(weights),
        word_classes=word_classes,
        class_weights=MappingProxyType(class_weights),
        low=low,
        high=high,
        lexicon_floor=floor,
        lexicon_sure=frozenset(sure),
        training_sha256=data["training_sha256"],
    )


def _class_weights(raw: Any, classes: WordClasses, count: int) -> dict[str, tuple[float, ...]]:
    if not isinstance(raw, Mapping):
        raise ModelError("class_weights: expected an object of class n-gram -> weights")
    known, weights = set(classes.names), {}
    for gram, row in raw.items():
        names = gram.split(PAIR if PAIR in gram else " ") if isinstance(gram, str) else []
        most = 2 if PAIR in gram else CLASS_NGRAM_MAX
        if not 1 <= len(names) <= most or not set(names) <= known:
            raise ModelError(f"class_weights: {gram!r} is not 1..3 known class names or a pair")
        weights[gram] = _numbers(row, count, f"class_weights[{gram!r}]")
    return weights


def _numbers(raw: Any, count: int, where: str) -> tuple[float, ...]:
    if (
        not isinstance(raw, list)
        or len(raw) != count
        or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in raw)
        or not all(math.isfinite(x) for x in raw)
    ):
        raise ModelError(f"{where}: expected {count} finite numbers")
    return tuple(float(x) for x in raw)


def _probability(raw: Any, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw < 1:
        raise ModelError(f"{where}: expected a number between 0 and 1, got {raw!r}")
    return float(raw)
