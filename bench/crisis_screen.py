"""How well the crisis screen (lexicon + n-gram model) recognises danger it was not shown.

Prints, for the development half (cross-validated: each probe scored by a model that did not
train on it, with the shipped thresholds) and for the held-out half (the shipped model):
recall by category for urgent, and for urgent-or-please-read; on everyday messages, false
positives (urgent) and the please-read rate; with counts, and the worst category. Then the
model's size, load time and scoring cost per message.

Targets (issue 10): on the held-out half, >= 98% recall in each category and <= 3% of everyday
messages urgent. Only aggregate figures are printed: the held-out texts are never shown, and no
choice may be made from them (bench/train_crisis_model.py never opens the file).

Run: `.venv/bin/python bench/crisis_screen.py` (`--dev-only` skips the held-out half).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.adapters.dialogs import load_crisis_lexicon, load_crisis_model  # noqa: E402
from bot.domain.detection.crisis import EVERYDAY, PLEASE_READ, URGENT, assess, screen  # noqa: E402
from bot.domain.detection.crisis_lexicon import CrisisLexicon  # noqa: E402
from bot.domain.detection.crisis_model import CrisisModel, parse_model  # noqa: E402

HELDOUT_FILE = ROOT / "tests" / "data" / "crisis_probes" / "heldout.yaml"
RECALL_TARGET, FP_TARGET = 0.98, 0.03


@dataclass(frozen=True)
class Counts:
    total: int
    urgent: int
    read: int  # please-read only (not urgent)

    @property
    def flagged(self) -> int:
        return self.urgent + self.read


@dataclass(frozen=True)
class Report:
    categories: dict[str, Counts]  # per crisis category present in the file
    everyday: Counts

    def worst(self) -> str:
        """The category with the lowest urgent-or-please-read recall (then urgent recall)."""
        return min(
            self.categories,
            key=lambda c: (
                self.categories[c].flagged / self.categories[c].total,
                self.categories[c].urgent / self.categories[c].total,
            ),
        )


def levels(
    texts: Sequence[str],
    lexicon: CrisisLexicon,
    model: CrisisModel | None = None,
    models: Sequence[CrisisModel] | None = None,
) -> list[str]:
    """The screen's verdict on each text: one model for all, or one model per text; with no
    model at all, the lexicon alone (the screen before the model, for comparison)."""
    if model is None and models is None:
        return [URGENT if screen(t, lexicon) else EVERYDAY for t in texts]
    chosen = models or [model] * len(texts)
    return [assess(t, lexicon, m).level for t, m in zip(texts, chosen, strict=True)]


def report(labels: Sequence[str], verdicts: Sequence[str]) -> Report:
    """Counts by true label ("everyday" or a category) of urgent and please-read verdicts."""
    counts: dict[str, Counts] = {}
    for label in dict.fromkeys(labels):
        mine = [v for lab, v in zip(labels, verdicts, strict=True) if lab == label]
        counts[label] = Counts(len(mine), mine.count(URGENT), mine.count(PLEASE_READ))
    everyday = counts.pop("everyday", Counts(0, 0, 0))
    return Report(counts, everyday)


def unseen_probes(path: Path = HELDOUT_FILE) -> list:
    """The file's probes whose text is not in the development half (the given halves share a
    few texts: those were trained on, so they do not count as held out)."""
    from bench.train_crisis_model import DEV_FILE, read_probe_file

    trained = {p.text.strip() for p in read_probe_file(DEV_FILE)}
    return [p for p in read_probe_file(path) if p.text.strip() not in trained]


def evaluate(
    path: Path = HELDOUT_FILE,
    lexicon: CrisisLexicon | None = None,
    model: CrisisModel | None = None,
    lexicon_only: bool = False,
) -> Report:
    """The shipped screen (or the lexicon alone) on a probe file of the dev.yaml shape, texts
    of the development half left out."""
    probes = unseen_probes(path)
    lexicon = lexicon or load_crisis_lexicon()
    model = None if lexicon_only else model or load_crisis_model()
    verdicts = levels([p.text for p in probes], lexicon, model)
    return report([p.label for p in probes], verdicts)


def cross_validated(lexicon: CrisisLexicon, shipped: CrisisModel, c: float) -> Report:
    """The development half, each probe judged by the fold model that did not train on it
    (the shipped thresholds, which were chosen from these same out-of-fold scores)."""
    from bench.train_crisis_model import (
        DEV_FILE,
        Params,
        fit,
        folds,
        old_probes,
        read_probe_file,
    )

    dev, extra = read_probe_file(DEV_FILE), old_probes()
    models: list[CrisisModel | None] = [None] * len(dev)
    for train, test in folds(dev):
        data, _ = fit([dev[i] for i in train] + extra, Params(c, shipped.ngram_max), lexicon)
        fold_model = parse_model(
            {**data, "low": shipped.low, "high": shipped.high, "version": "cv"}
            | {"training_sha256": "cv"}
        )
        for i in test:
            models[i] = fold_model
    verdicts = levels([p.text for p in dev], lexicon, models=models)  # type: ignore[arg-type]
    return report([p.label for p in dev], verdicts)


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%" if whole else "n/a"


def show(title: str, result: Report) -> None:
    print(f"\n{title}")
    for name, counts in result.categories.items():
        print(
            f"  {name:<13} urgent {_pct(counts.urgent, counts.total):<18} "
            f"urgent or please-read {_pct(counts.flagged, counts.total)}"
        )
    day = result.everyday
    print(
        f"  everyday      urgent (false positives) {_pct(day.urgent, day.total)} "
        f"(target <= {FP_TARGET:.0%}); please-read {_pct(day.read, day.total)}"
    )
    worst = result.worst()
    counts = result.categories[worst]
    print(
        f"  worst category: {worst}, urgent-or-please-read "
        f"{_pct(counts.flagged, counts.total)} (target >= {RECALL_TARGET:.0%} each)"
    )


def costs(lexicon: CrisisLexicon, texts: Sequence[str]) -> None:
    from bot.adapters.dialogs import DIALOGS_DIR

    path = DIALOGS_DIR / "crisis_model.json"
    started = time.perf_counter()
    model = load_crisis_model.__wrapped__()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        assess(text, lexicon, model)
    each = (time.perf_counter() - started) / len(texts)
    print(
        f"\nmodel: {path.stat().st_size / 1024:.0f} KiB, {len(model.weights)} n-grams "
        f"(1..{model.ngram_max} chars), version {model.version}, low {model.low}, "
        f"high {model.high}; load {loaded * 1000:.0f} ms; "
        f"screen (lexicon + model) {each * 1e6:.0f} us per message"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-only", action="store_true", help="skip the held-out half")
    args = parser.parse_args()
    from bench.train_crisis_model import DEV_FILE, MODEL_FILE, read_probe_file

    lexicon, model = load_crisis_lexicon(), load_crisis_model()
    c = float(json.loads(MODEL_FILE.read_text(encoding="utf-8"))["params"]["c"])
    dev = read_probe_file(DEV_FILE)
    baseline = report([p.label for p in dev], levels([p.text for p in dev], lexicon))
    show("development half, lexicon alone (the screen before the model)", baseline)
    cv = cross_validated(lexicon, model, c)
    show("development half, lexicon + model, 5-fold cross-validated (out of fold)", cv)
    if not args.dev_only:
        show("held-out half, lexicon alone", evaluate(HELDOUT_FILE, lexicon, lexicon_only=True))
        title = (
            "held-out half, lexicon + shipped model (texts also in the development half left out)"
        )
        show(title, evaluate(HELDOUT_FILE, lexicon, model))
    costs(lexicon, [p.text for p in read_probe_file(DEV_FILE)])


if __name__ == "__main__":
    main()
