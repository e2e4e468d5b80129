"""Crisis probe sets for the bench and the tests: what must fire, and what must not.

The probes are data, `tests/data/crisis_probes.yaml` (see its comments for where they come
from); this module only reads them, for tests/unit/detection/test_crisis.py, bench/detector.py and
bench/train_crisis_model.py. It lives in bench/, not in the bot: nothing in bot/domain reads
files.
"""

from __future__ import annotations

from pathlib import Path

import yaml

PROBES_FILE = Path(__file__).resolve().parents[1] / "tests" / "data" / "crisis_probes.yaml"


def load_probes(
    path: Path = PROBES_FILE,
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(positives as (text, expected category), negatives); ValueError naming the file when
    it is not shaped like crisis_probes.yaml."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    try:
        positives = tuple(
            (text, str(category))
            for category, texts in data["positives"].items()
            for text in _texts(texts)
        )
        return positives, _texts(data["negatives"])
    except (TypeError, KeyError, AttributeError) as error:
        raise ValueError(
            f"{path}: expected `positives` (category: [texts]) and `negatives` ([texts]): {error}"
        ) from None


def _texts(values: object) -> tuple[str, ...]:
    if not isinstance(values, list):
        raise TypeError(f"not a list of texts: {values!r}")
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise TypeError(f"not a probe text: {value!r}")
    return tuple(values)


# (text, expected category)
CRISIS_POSITIVES: tuple[tuple[str, str], ...]
# Everyday hyperbole, idioms, negation and innocent uses of method nouns: none may fire.
HYPERBOLE_NEGATIVES: tuple[str, ...]
CRISIS_POSITIVES, HYPERBOLE_NEGATIVES = load_probes()
