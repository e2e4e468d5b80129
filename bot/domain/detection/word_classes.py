"""Word classes for the crisis model: what part each word plays, so meaning generalises.

"My uncle slapped me" and a Chinese "dad hit me again" share no character, but both
read "someone in the family - hits - me". The map (`dialogs/crisis_word_classes.yaml`,
copied into the model file by the training script) names such classes; this module turns
normalised text into the sequence of classes it contains, in order, and that sequence's
1..3-grams, and its ordered pairs a few classes apart ("parent~self": a parent, then
words, then me: who did what to whom across "yesterday night again with a belt"), become
features beside the character n-grams (crisis_model.features). Cross-validation preferred
the pairs (worst category 0.83 -> 0.87 of urgent-or-read on the training probes).
No I/O here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_CLASSES = 200  # a sanity bound for the validator, not a design limit
PAIR_GAP = 4  # ordered pairs of classes 2..PAIR_GAP apart in the sequence
PAIR = "~"  # joins the two names of a pair feature (n-grams join with a space)
CLASS_NAME = re.compile(r"[a-z][a-z_]*")


class WordClassError(ValueError):
    """The map is malformed; the message names the field."""


@dataclass(frozen=True)
class WordClasses:
    names: tuple[str, ...]  # file order: the tie-break between equally long matches
    patterns: tuple[re.Pattern[str], ...]  # one compiled alternation per class
    sources: Mapping[str, str]  # class -> the joined pattern text, as copied into the model


def parse_word_classes(raw: Any) -> WordClasses:
    """Validate class -> [patterns] (or class -> joined pattern, the model's copy)."""
    if not isinstance(raw, Mapping) or not 1 <= len(raw) <= MAX_CLASSES:
        raise WordClassError(f"expected a mapping of 1..{MAX_CLASSES} classes")
    names, patterns, sources = [], [], {}
    for name, parts in raw.items():
        if not isinstance(name, str) or not CLASS_NAME.fullmatch(name):
            raise WordClassError(f"{name!r}: a class name is lower-case letters and _")
        parts = [parts] if isinstance(parts, str) else parts
        if (
            not isinstance(parts, list)
            or not parts
            or not all(isinstance(p, str) and p for p in parts)
        ):
            raise WordClassError(f"{name}: expected a non-empty list of patterns")
        source = "|".join(f"(?:{p})" for p in parts) if len(parts) > 1 else parts[0]
        try:
            compiled = re.compile(source)
        except re.error as error:
            raise WordClassError(f"{name}: not a valid regular expression ({error})") from None
        if compiled.search(""):
            raise WordClassError(f"{name}: a pattern matches the empty string")
        names.append(name)
        patterns.append(compiled)
        sources[name] = source
    return WordClasses(tuple(names), tuple(patterns), sources)


def sequence(clean: str, classes: WordClasses) -> list[str]:
    """The classes found in normalised text, in reading order; where matches overlap the
    longest wins (then the class listed first)."""
    found = [
        (match.start(), -(match.end() - match.start()), rank, match.end())
        for rank, pattern in enumerate(classes.patterns)
        for match in pattern.finditer(clean)
    ]
    found.sort()
    chosen: list[str] = []
    reached = 0
    for start, _, rank, end in found:
        if start >= reached:
            chosen.append(classes.names[rank])
            reached = end
    return chosen


def class_features(clean: str, classes: WordClasses, n_max: int = 3) -> dict[str, float]:
    """Distinct 1..n_max-grams of the class sequence (names joined by a space) and ordered
    pairs 2..PAIR_GAP apart (joined by PAIR), each worth 1/sqrt(their number), as the
    character n-grams are."""
    names = sequence(clean, classes)
    grams = {
        " ".join(names[i : i + n]) for n in range(1, n_max + 1) for i in range(len(names) - n + 1)
    }
    grams.update(
        names[i] + PAIR + names[j]
        for i in range(len(names))
        for j in range(i + 2, min(len(names), i + PAIR_GAP + 1))
    )
    if not grams:
        return {}
    value = 1.0 / math.sqrt(len(grams))
    return dict.fromkeys(grams, value)
