"""Train the crisis screen's n-gram model, dialogs/crisis_model.json, on the development probes.

Trained on tests/data/crisis_probes/dev.yaml (380 crisis messages, 333 everyday ones) and the
old tests/data/crisis_probes.yaml (52 probes). NEVER on the held-out half: nothing here opens
tests/data/crisis_probes/heldout.yaml; bench/crisis_screen.py alone reads it, for figures.

Everything is chosen by 5-fold stratified cross-validation on the development half (the old
probes are added to every training fold, never scored): the regularisation C and n-gram
length, then the two thresholds from the out-of-fold scores of the chosen setting:
- high (urgent): the lowest score at which the model alone fires on at most HIGH_FP of the
  everyday messages;
- low (please read): the highest score at which urgent-or-please-read still catches at least
  LOW_RECALL of every category, the lexicon counted as it is in the bot; but never so low that
  more than READ_CAP of the everyday messages are sent to be read (a volunteer who is sent
  everything reads nothing, and a child's everyday words are theirs).
Then the model is refitted on all of it and written. Deterministic: fixed folds and seeds, a
solver without randomness, sorted output; retraining on the same files writes the same file.

Needs scikit-learn (the `dev` extra); the bot itself scores the file in plain Python
(bot/domain/detection/crisis_model.py). Run: `.venv/bin/python bench/train_crisis_model.py`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crisis_probes import PROBES_FILE, load_probes  # noqa: E402
from bot.adapters.dialogs import DIALOGS_DIR, load_crisis_lexicon  # noqa: E402
from bot.domain.detection.crisis import normalise  # noqa: E402
from bot.domain.detection.crisis_lexicon import CrisisLexicon  # noqa: E402
from bot.domain.detection.crisis_model import CrisisModel, features, parse_model  # noqa: E402

DEV_FILE = ROOT / "tests" / "data" / "crisis_probes" / "dev.yaml"
MODEL_FILE = DIALOGS_DIR / "crisis_model.json"
EVERYDAY = "everyday"
FOLDS, SEED = 5, 0
HIGH_FP = 0.01  # the model alone may make this share of everyday messages urgent
LOW_RECALL = 0.99  # urgent or please-read must catch this share of every category ...
READ_CAP = 0.25  # ... unless more than this share of everyday messages would then be read
KEEP = 6000  # n-grams kept (largest weights); the rest are pruned
DIGITS = 4  # weights are rounded to this many decimals
GRID = tuple((c, 4) for c in (3.0, 10.0, 30.0))  # n-grams of 3 did no better (tried)


@dataclass(frozen=True)
class Probe:
    text: str
    label: str  # a crisis category, or EVERYDAY
    kind: str  # the probe set's finer pattern (ideation_direct, hyperbole, ...)


@dataclass(frozen=True)
class Params:
    c: float = 10.0
    ngram_max: int = 4


def read_probe_file(path: Path) -> list[Probe]:
    """A probe file of the dev.yaml shape: `positives` [{text, category, kind}], `negatives`
    [{text, kind}]."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    positives = [Probe(p["text"], p["category"], p["kind"]) for p in data["positives"]]
    return positives + [Probe(n["text"], EVERYDAY, n["kind"]) for n in data["negatives"]]


def old_probes() -> list[Probe]:
    positives, negatives = load_probes()
    return [Probe(text, category, "old") for text, category in positives] + [
        Probe(text, EVERYDAY, "old") for text in negatives
    ]


def training_sha256(paths: Sequence[Path] = (DEV_FILE, PROBES_FILE)) -> str:
    """One SHA-256 over the training files' bytes, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fit(probes: Sequence[Probe], params: Params, lexicon: CrisisLexicon) -> tuple[dict, object]:
    """Train on probes; returns the model as data (without thresholds) and the equivalent
    scikit-learn pipeline (pruned and rounded like the data, so both score the same)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    vectoriser = DictVectorizer(sort=True)
    matrix = vectoriser.fit_transform(
        [features(normalise(p.text, lexicon), params.ngram_max) for p in probes]
    )
    labels = [p.label for p in probes]
    classifier = LogisticRegression(C=params.c, class_weight="balanced", max_iter=2000)
    classifier.fit(matrix, labels)
    classes = list(classifier.classes_)
    categories = list(lexicon.category_names)
    everyday = classes.index(EVERYDAY)
    rows = [classes.index(c) for c in categories]
    relative = classifier.coef_[rows] - classifier.coef_[everyday]
    bias = classifier.intercept_[rows] - classifier.intercept_[everyday]
    names = vectoriser.get_feature_names_out()
    strength = abs(relative).max(axis=0)
    kept = sorted(range(len(names)), key=lambda j: (-strength[j], names[j]))[:KEEP]
    weights = {
        str(names[j]): [round(float(w), DIGITS) for w in relative[:, j]] for j in sorted(kept)
    }
    data = {
        "categories": categories,
        "ngram_max": params.ngram_max,
        "bias": [round(float(b), DIGITS) for b in bias],
        "weights": weights,
    }
    return data, _pipeline_of(data, vectoriser, classifier, make_pipeline)


def _pipeline_of(data: dict, vectoriser, classifier, make_pipeline) -> object:
    """The fitted pipeline with the pruned, rounded weights put back (everyday as reference)."""
    import numpy as np

    classes = list(classifier.classes_)
    names = {name: j for j, name in enumerate(vectoriser.get_feature_names_out())}
    coef = np.zeros_like(classifier.coef_)
    intercept = np.zeros_like(classifier.intercept_)
    for i, category in enumerate(data["categories"]):
        row = classes.index(category)
        intercept[row] = data["bias"][i]
        for gram, weights in data["weights"].items():
            coef[row, names[gram]] = weights[i]
    classifier.coef_, classifier.intercept_ = coef, intercept
    return make_pipeline(vectoriser, classifier)


def model_of(data: dict, low: float = 0.5, high: float = 0.5, sha: str = "cv") -> CrisisModel:
    return parse_model({**data, "low": low, "high": high, "version": "cv", "training_sha256": sha})


def folds(dev: Sequence[Probe]) -> list[tuple[list[int], list[int]]]:
    """The fixed stratified folds (by category, everyday as one more) of the development half."""
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    labels = [p.label for p in dev]
    return [(list(a), list(b)) for a, b in splitter.split(labels, labels)]


def out_of_fold(
    dev: Sequence[Probe], extra: Sequence[Probe], params: Params, lexicon: CrisisLexicon
) -> list[float]:
    """Each development probe's model score from the fold that did not train on it."""
    from bot.domain.detection.crisis_model import score

    scores = [0.0] * len(dev)
    for train, test in folds(dev):
        data, _ = fit([dev[i] for i in train] + list(extra), params, lexicon)
        model = model_of(data)
        for i in test:
            scores[i] = score(normalise(dev[i].text, lexicon), model).score
    return scores


def thresholds(
    dev: Sequence[Probe], scores: Sequence[float], lexicon: CrisisLexicon
) -> tuple[float, float]:
    """(low, high) from out-of-fold scores, as the module docstring says."""
    from bot.domain.detection.crisis import screen

    everyday = sorted(
        (s for p, s in zip(dev, scores, strict=True) if p.label == EVERYDAY), reverse=True
    )
    allowed = int(HIGH_FP * len(everyday))
    high = min(0.99, everyday[allowed] + 1e-6) if allowed < len(everyday) else 0.5
    low = high
    for category in lexicon.category_names:
        missed = sorted(
            s
            for p, s in zip(dev, scores, strict=True)
            if p.label == category and screen(p.text, lexicon) is None
        )
        caught_by_lexicon = sum(p.label == category for p in dev) - len(missed)
        total = caught_by_lexicon + len(missed)
        may_miss = int((1 - LOW_RECALL) * total)
        if len(missed) > may_miss:
            low = min(low, missed[may_miss])
    flagged = sorted(
        (
            s
            for p, s in zip(dev, scores, strict=True)
            if p.label == EVERYDAY and screen(p.text, lexicon) is None
        ),
        reverse=True,
    )
    read_allowed = int(READ_CAP * len(everyday)) - (len(everyday) - len(flagged))
    if 0 <= read_allowed < len(flagged):
        low = max(low, flagged[read_allowed] + 1e-6)
    return round(max(low, 1e-4), 6), round(high, 6)


def figures(
    dev: Sequence[Probe], scores: Sequence[float], low: float, high: float, lexicon
) -> dict[str, float]:
    """Urgent and urgent-or-please-read recall per category, urgent FP and please-read rate."""
    from bot.domain.detection.crisis import screen

    result: dict[str, float] = {}
    lexicon_hits = [screen(p.text, lexicon) is not None for p in dev]
    for label in (*lexicon.category_names, EVERYDAY):
        members = [i for i, p in enumerate(dev) if p.label == label]
        urgent = sum(lexicon_hits[i] or scores[i] >= high for i in members)
        read = sum(lexicon_hits[i] or scores[i] >= low for i in members)
        result[f"{label}_urgent"] = urgent / len(members)
        result[f"{label}_read"] = read / len(members)
    return result


def choose(dev: Sequence[Probe], extra: Sequence[Probe], lexicon: CrisisLexicon, log=print):
    """The grid setting with the best worst-category urgent-or-please-read recall (then fewest
    everyday messages in the please-read band), by cross-validation."""
    best = None
    for c, ngram_max in GRID:
        params = Params(c, ngram_max)
        scores = out_of_fold(dev, extra, params, lexicon)
        low, high = thresholds(dev, scores, lexicon)
        got = figures(dev, scores, low, high, lexicon)
        worst = min(got[f"{name}_read"] for name in lexicon.category_names)
        key = (round(worst, 4), -round(got[f"{EVERYDAY}_read"], 4))
        log(
            f"C={c:<5} n<={ngram_max}: low {low:.4f} high {high:.4f} worst read {worst:.3f} "
            f"everyday urgent {got[f'{EVERYDAY}_urgent']:.3f} read {got[f'{EVERYDAY}_read']:.3f}"
        )
        if best is None or key > best[0]:
            best = (key, params, scores, low, high)
    _, params, scores, low, high = best
    return params, scores, low, high


def train(log=print) -> dict:
    """The whole procedure; returns the model file's data."""
    lexicon = load_crisis_lexicon()
    dev, extra = read_probe_file(DEV_FILE), old_probes()
    params, _, low, high = choose(dev, extra, lexicon, log)
    data, _ = fit(list(dev) + extra, params, lexicon)
    sha = training_sha256()
    return {
        "about": (
            "Crisis screen n-gram model, written by bench/train_crisis_model.py from the "
            "development probes; scored by bot/domain/detection/crisis_model.py. Do not edit."
        ),
        "version": f"ngram{params.ngram_max}-c{params.c:g}-{sha[:12]}",
        "training_sha256": sha,
        "params": {"c": params.c, "ngram_max": params.ngram_max, "keep": KEEP},
        "low": low,
        "high": high,
        **data,
    }


def write(data: dict, path: Path = MODEL_FILE) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    data = train()
    write(data, args.out)
    size = args.out.stat().st_size
    print(
        f"wrote {args.out} ({size / 1024:.0f} KiB, {len(data['weights'])} n-grams): "
        f"version {data['version']}, low {data['low']}, high {data['high']}"
    )


if __name__ == "__main__":
    main()
