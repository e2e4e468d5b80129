"""How well the crisis screen (lexicon + n-gram model) recognises danger it was not shown.

Prints, for the development half and for all training probes (cross-validated: each probe
scored by a fold model that did not train on it, with the shipped thresholds) and for the
held-out half and held-out set 2 (the shipped model): recall by category for urgent, and
for urgent-or-please-read; on everyday messages, false positives (urgent) and the please-read
rate; with counts, and the worst category. Then the weakest training kinds, the trade-off
curve the policy was chosen from (cross-validated), the count of held-out looks of each set
(bench/crisis_heldout_looks.json; each run that prints held-out figures adds one to each),
and the model's size, load time and scoring cost per message.

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
from bot.domain.detection.crisis_model import CrisisModel  # noqa: E402

HELDOUT_FILE = ROOT / "tests" / "data" / "crisis_probes" / "heldout.yaml"
HELDOUT_2_FILE = ROOT / "tests" / "data" / "crisis_probes" / "heldout_2.yaml"  # round 3, blind
LOOKS_FILE = ROOT / "bench" / "crisis_heldout_looks.json"
MODEL_FILE = ROOT / "dialogs" / "crisis_model.json"
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
    """The file's probes whose text is in no training file (the given halves share a few
    texts, and so may the extras: those were trained on, so they do not count as held out);
    set 2 also leaves out the first half's texts, whose figures have been seen."""
    from bench.crisis_training_data import read_probe_file, training_texts

    seen = training_texts()
    if Path(path).resolve() == HELDOUT_2_FILE:
        seen |= {p.text.strip() for p in read_probe_file(HELDOUT_FILE)}
    return [p for p in read_probe_file(path) if p.text.strip() not in seen]


def evaluate(
    path: Path = HELDOUT_FILE,
    lexicon: CrisisLexicon | None = None,
    model: CrisisModel | None = None,
    lexicon_only: bool = False,
) -> Report:
    """The shipped screen (or the lexicon alone) on a dev.yaml-shaped file's unseen probes."""
    probes = unseen_probes(path)
    lexicon = lexicon or load_crisis_lexicon()
    model = None if lexicon_only else model or load_crisis_model()
    verdicts = levels([p.text for p in probes], lexicon, model)
    return report([p.label for p in probes], verdicts)


@dataclass(frozen=True)
class CrossValidated:
    probes: list  # the training probes
    scores: list[float]  # each one's out-of-fold model score
    screened: list  # the lexicon's finding on each


def cross_validate(lexicon: CrisisLexicon, shipped: CrisisModel, refit: bool) -> CrossValidated:
    """Out-of-fold scores of the training probes at the shipped C: those the training run
    saved for this very model version, or (refit, or none saved) the folds refitted. The
    fold models are the shipped procedure's, so these are the figures the thresholds were
    chosen from."""
    from bench.crisis_policy import screened
    from bench.crisis_training_data import training_probes
    from bench.train_crisis_model import CV_FILE, load_word_classes, out_of_fold

    probes = training_probes()
    saved = json.loads(CV_FILE.read_text(encoding="utf-8")) if CV_FILE.exists() else {}
    if not refit and saved.get("version") == shipped.version:
        scores = saved["scores"]
    else:
        sources, classes = load_word_classes()
        c = float(json.loads(MODEL_FILE.read_text(encoding="utf-8"))["params"]["c"])
        scores = out_of_fold(probes, c, lexicon, classes, sources)
    return CrossValidated(probes, scores, screened(probes, lexicon))


def shipped_policy(shipped: CrisisModel):
    from bench.crisis_policy import Policy

    sure = tuple(sorted(shipped.lexicon_sure))
    return Policy(shipped.low, shipped.high, shipped.lexicon_floor, sure)


def cv_report(cv: CrossValidated, shipped: CrisisModel, only=None) -> Report:
    """The bot's verdicts with the shipped thresholds on the out-of-fold scores; `only`
    keeps the probes whose text is in that set (the development half, say)."""
    from bench.crisis_policy import levels as policy_levels

    policy = shipped_policy(shipped)
    verdicts = [v or EVERYDAY for v in policy_levels(cv.screened, cv.scores, policy)]
    keep = [only is None or p.text.strip() in only for p in cv.probes]
    return report(
        [p.label for p, k in zip(cv.probes, keep, strict=True) if k],
        [v for v, k in zip(verdicts, keep, strict=True) if k],
    )


def trade_off(cv: CrossValidated, names: Sequence[str]) -> None:
    """What other policies would have given, in cross-validation: the curve to choose from."""
    from bench.crisis_policy import best_policy

    print("\ntrade-off (cross-validated, training probes): policy caps -> worst category")
    print("  urgent FP cap  read cap   worst urgent  worst urgent-or-read  everyday read")
    for urgent_fp in (0.01, 0.02, 0.025, 0.03, 0.05):
        for read_cap in (0.10, 0.15, 0.20):
            found = best_policy(cv.probes, cv.screened, cv.scores, names, urgent_fp, read_cap)
            if found is None:
                print(f"  {urgent_fp:>12.1%}  {read_cap:>8.0%}   (the lexicon alone exceeds it)")
                continue
            _, _, got = found
            worst_read = min(got[f"{n}_read"] for n in names)
            worst_urgent = min(got[f"{n}_urgent"] for n in names)
            print(
                f"  {urgent_fp:>12.1%}  {read_cap:>8.0%}   {worst_urgent:>12.1%}  "
                f"{worst_read:>20.1%}  {got['everyday_read_only']:>13.1%}"
            )


def weakest_kinds(cv: CrossValidated, shipped: CrisisModel, count: int = 8) -> None:
    """The training kinds (of ten probes or more) the cross-validated screen misses most:
    where to write more."""
    from bench.crisis_policy import levels as policy_levels

    policy = shipped_policy(shipped)
    verdicts = policy_levels(cv.screened, cv.scores, policy)
    kinds: dict[tuple[str, str], list[int]] = {}
    for probe, verdict in zip(cv.probes, verdicts, strict=True):
        wrong = (verdict == "") if probe.label != EVERYDAY else (verdict == URGENT)
        kinds.setdefault((probe.label, probe.kind), []).append(int(wrong))
    common = [kv for kv in kinds.items() if len(kv[1]) >= 10]
    worst = sorted(common, key=lambda kv: -sum(kv[1]) / len(kv[1]))[:count]
    print(
        "  weakest kinds (missed crisis, or everyday made urgent): "
        + ", ".join(f"{label}/{kind} {sum(v)}/{len(v)}" for (label, kind), v in worst)
    )


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
        f"(1..{model.ngram_max} chars), {len(model.class_weights)} word-class n-grams "
        f"({len(model.word_classes.names)} classes), version {model.version}, low {model.low}, "
        f"high {model.high}, lexicon floor {model.lexicon_floor}; load {loaded * 1000:.0f} ms; "
        f"screen (lexicon + model) {each * 1e6:.0f} us per message"
    )


def count_look(path: Path = LOOKS_FILE) -> dict:
    """Record one more look at the held-out figures of both sets (every run that prints them
    is one): the count is part of the result, so it is kept with the code, in git."""
    looks = json.loads(path.read_text(encoding="utf-8"))
    looks["this_round"] += 1
    looks["set_2"] += 1
    path.write_text(json.dumps(looks, indent=2) + "\n", encoding="utf-8")
    return looks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-only", action="store_true", help="skip the held-out half")
    parser.add_argument(
        "--refit", action="store_true", help="refit the folds instead of the saved scores"
    )
    args = parser.parse_args()
    from bench.crisis_training_data import DEV_FILE, read_probe_file

    lexicon, model = load_crisis_lexicon(), load_crisis_model()
    dev = read_probe_file(DEV_FILE)
    baseline = report([p.label for p in dev], levels([p.text for p in dev], lexicon))
    show("development half, lexicon alone (the screen before the model)", baseline)
    cv = cross_validate(lexicon, model, args.refit)
    show(
        "development half, lexicon + model, 5-fold cross-validated over all training probes",
        cv_report(cv, model, only={p.text.strip() for p in dev}),
    )
    show("all training probes (dev + extras + old), cross-validated", cv_report(cv, model))
    weakest_kinds(cv, model)
    trade_off(cv, lexicon.category_names)
    if not args.dev_only:
        show("held-out half, lexicon alone", evaluate(HELDOUT_FILE, lexicon, lexicon_only=True))
        title = "held-out half, lexicon + shipped model (texts also in a training file left out)"
        show(title, evaluate(HELDOUT_FILE, lexicon, model))
        set_2 = "held-out set 2 (written blind, round 3)"
        show(f"{set_2}, lexicon alone", evaluate(HELDOUT_2_FILE, lexicon, lexicon_only=True))
        show(f"{set_2}, lexicon + shipped model", evaluate(HELDOUT_2_FILE, lexicon, model))
        looks = count_look()
        print(
            f"  held-out looks: {looks['before_this_round']} before this round, "
            f"{looks['this_round']} this round; set 2: {looks['set_2']} (this run included)"
        )
    costs(lexicon, [p.text for p in dev])


if __name__ == "__main__":
    main()
