"""The crisis lexicon as a frozen, validated value; the words themselves are data.

The lexicon is `dialogs/crisis_lexicon.yaml` (its comments explain the categories, weights,
kinds, masks and sources); `bot.adapters.dialogs.load_crisis_lexicon` reads it once and hands the
plain data to `parse_lexicon`, which checks every field and compiles every pattern, so a
malformed file is refused with a message naming the field rather than screening with half a
lexicon. No I/O here.

Patterns are regular expressions over normalised text (crisis.normalise: NFKC, casefold,
traditional -> simplified for the `traditional` pairs, separators inside CJK words removed).
A category fires when the weights of its distinct matching terms add up to `threshold`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

# The code relies on these names (alerting.crisis_alerts: abuse opens a reporting task); the
# file decides their order, most serious first.
CATEGORIES = frozenset({"self_harm", "abuse", "bullying", "running_away"})
KINDS = frozenset({"method", "intent", "word", "hint"})
_KEYS = frozenset({"threshold", "categories", "masks", "traditional"})
_TERM_KEYS = frozenset({"weight", "kind", "pattern"})


class LexiconError(ValueError):
    """The lexicon data is malformed; the message names the field (and the file, from the
    loader)."""


@dataclass(frozen=True)
class Term:
    weight: int  # evidence it adds to its category
    kind: str  # "method", "intent", "word" or "hint" (see the YAML file)
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Category:
    name: str  # "self_harm", "abuse", "bullying" or "running_away"
    terms: tuple[Term, ...]  # in file order: the order matches are reported in


@dataclass(frozen=True)
class CrisisLexicon:
    threshold: int
    categories: tuple[Category, ...]  # most serious first
    masks: tuple[re.Pattern[str], ...]  # removed before matching: hyperbole, idioms, negation
    traditional: Mapping[int, int]  # str.translate table, traditional -> simplified

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(category.name for category in self.categories)


def parse_lexicon(data: Any) -> CrisisLexicon:
    """Validate plain data (as read from YAML) and compile it; raises LexiconError."""
    if not isinstance(data, Mapping):
        raise LexiconError("expected a mapping with threshold, categories, masks, traditional")
    missing = sorted(_KEYS - data.keys())
    unknown = sorted(set(data) - _KEYS)
    if missing or unknown:
        raise LexiconError(f"missing keys {missing}, unknown keys {unknown}")
    threshold = _positive_int(data["threshold"], "threshold")
    raw_categories = data["categories"]
    if not isinstance(raw_categories, Mapping) or set(raw_categories) != CATEGORIES:
        raise LexiconError(f"categories: expected exactly {sorted(CATEGORIES)}")
    categories = tuple(
        _category(str(name), terms, threshold) for name, terms in raw_categories.items()
    )
    raw_masks = data["masks"]
    if not isinstance(raw_masks, list):
        raise LexiconError("masks: expected a list of patterns")
    masks = tuple(_pattern(mask, f"masks[{i}]") for i, mask in enumerate(raw_masks))
    return CrisisLexicon(threshold, categories, masks, _traditional(data["traditional"]))


def _category(name: str, raw: Any, threshold: int) -> Category:
    if not isinstance(raw, list) or not raw:
        raise LexiconError(f"categories.{name}: expected a non-empty list of terms")
    terms = tuple(_term(term, f"categories.{name}[{i}]") for i, term in enumerate(raw))
    if sum(term.weight for term in terms) < threshold:
        raise LexiconError(f"categories.{name}: its terms together never reach the threshold")
    return Category(name, terms)


def _term(raw: Any, where: str) -> Term:
    if not isinstance(raw, Mapping) or set(raw) != _TERM_KEYS:
        raise LexiconError(f"{where}: expected exactly the keys weight, kind and pattern")
    if raw["kind"] not in KINDS:
        raise LexiconError(f"{where}.kind: {raw['kind']!r} is not one of {sorted(KINDS)}")
    weight = _positive_int(raw["weight"], f"{where}.weight")
    return Term(weight, raw["kind"], _pattern(raw["pattern"], f"{where}.pattern"))


def _pattern(raw: Any, where: str) -> re.Pattern[str]:
    """A pattern is a string, or a list of strings joined (long patterns, shared fragments)."""
    parts = raw if isinstance(raw, list) else [raw]
    if not parts or not all(isinstance(part, str) and part for part in parts):
        raise LexiconError(f"{where}: expected a non-empty string or list of strings")
    try:
        return re.compile("".join(parts))
    except re.error as error:
        raise LexiconError(f"{where}: not a valid regular expression ({error})") from None


def _positive_int(raw: Any, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise LexiconError(f"{where}: expected a positive whole number, got {raw!r}")
    return raw


def _traditional(raw: Any) -> Mapping[int, int]:
    if not isinstance(raw, str):
        raise LexiconError("traditional: expected space-separated pairs of characters")
    bad = [pair for pair in raw.split() if len(pair) != 2]
    if bad:
        raise LexiconError(f"traditional: not a pair of two characters: {bad}")
    return MappingProxyType({ord(pair[0]): ord(pair[1]) for pair in raw.split()})
