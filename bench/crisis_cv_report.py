"""Cross-validated crisis-screen figures by category AND by language, from training data only.

Why: the bench (bench/crisis_screen.py) reports the held-out half, which tuning must never
read, and pools languages. This reports what tuning may look at: the out-of-fold scores the
training run saved (bench/crisis_model_cv.json) under the shipped thresholds, split by the
language each probe file records (zh, en, mixed; the old in-repo probes have none and are
sorted by script). With `--file`, the shipped screen scores one TRAINING file as a whole, as
if unseen: how a model trained before that file was written generalises to it.

Run: `.venv/bin/python bench/crisis_cv_report.py [--file tests/data/crisis_probes/X.yaml]`.
Never pass it the held-out half: it refuses any file named heldout*.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crisis_policy import Policy, levels, screened  # noqa: E402
from bench.crisis_training_data import EVERYDAY, Probe, read_probe_file, training_probes  # noqa: E402
from bench.train_crisis_model import CV_FILE  # noqa: E402
from bot.adapters.dialogs import load_crisis_lexicon, load_crisis_model  # noqa: E402
from bot.domain.detection.crisis import assess  # noqa: E402

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def language(probe: Probe) -> str:
    """The file's language tag, or (old probes) zh / en / mixed by the scripts used."""
    if probe.lang:
        return probe.lang
    cjk, latin = bool(_CJK.search(probe.text)), bool(_LATIN_WORD.search(probe.text))
    return "mixed" if cjk and latin else "zh" if cjk else "en"


def table(probes: Sequence[Probe], verdicts: Sequence[str], names: Sequence[str]) -> list[str]:
    """One line per language (and all): recall urgent; urgent-or-read per category, then the
    everyday urgent / read-only rates, with counts."""
    langs = ["all", *sorted({language(p) for p in probes})]
    lines = [f"{'':<7}" + "".join(f"{n:>24}" for n in names) + f"{'everyday urg / read':>28}"]
    for lang in langs:
        row = f"{lang:<7}"
        for label in (*names, EVERYDAY):
            mine = [
                v
                for p, v in zip(probes, verdicts, strict=True)
                if p.label == label and lang in ("all", language(p))
            ]
            if not mine:
                row += f"{'-':>24}" if label != EVERYDAY else f"{'-':>28}"
                continue
            urgent = mine.count("urgent") / len(mine)
            read = (len(mine) - mine.count("")) / len(mine)
            if label == EVERYDAY:
                row += f"{f'{urgent:.1%} / {read - urgent:.1%} (n={len(mine)})':>28}"
            else:
                row += f"{f'{urgent:.1%}; {read:.1%} (n={len(mine)})':>24}"
        lines.append(row)
    return lines


def cross_validated(probes: Sequence[Probe] | None = None) -> list[str]:
    """The saved out-of-fold scores under the shipped policy (they must be this model's)."""
    lexicon, model = load_crisis_lexicon(), load_crisis_model()
    probes = list(probes if probes is not None else training_probes())
    saved = json.loads(CV_FILE.read_text(encoding="utf-8"))
    if saved["version"] != model.version or len(saved["scores"]) != len(probes):
        raise SystemExit(f"{CV_FILE.name} is not the shipped model's: retrain first")
    policy = Policy(model.low, model.high, model.lexicon_floor, tuple(sorted(model.lexicon_sure)))
    verdicts = levels(screened(probes, lexicon), saved["scores"], policy)
    return table(probes, verdicts, lexicon.category_names)


def whole_file(path: Path) -> list[str]:
    """The shipped screen (crisis.assess, as the bot runs it) on every probe of one file."""
    if path.name.startswith("heldout"):
        raise SystemExit("the held-out half is not for tuning: use bench/crisis_screen.py")
    lexicon, model = load_crisis_lexicon(), load_crisis_model()
    probes = read_probe_file(path)
    names = {"urgent": "urgent", "please_read": "please_read"}
    verdicts = [names.get(assess(p.text, lexicon, model).level, "") for p in probes]
    return table(probes, verdicts, lexicon.category_names)


def costs() -> list[str]:
    """Load time of the model file and the whole screen's cost per message (lexicon + model,
    as crisis.assess runs it) over every training text, on this machine."""
    from bot.adapters.dialogs import DIALOGS_DIR

    start = time.perf_counter()
    load_crisis_model.__wrapped__(DIALOGS_DIR)  # uncached: read, parse and validate
    loaded = time.perf_counter() - start
    lexicon, model = load_crisis_lexicon(), load_crisis_model()
    texts = [p.text for p in training_probes()]
    start = time.perf_counter()
    for text in texts:
        assess(text, lexicon, model)
    each = (time.perf_counter() - start) / len(texts)
    size = (DIALOGS_DIR / "crisis_model.json").stat().st_size / 1024
    return [
        f"model file {size:.0f} KiB, parsed in {loaded * 1000:.0f} ms; "
        f"screen {each * 1000:.2f} ms per message over {len(texts)} texts"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="score this training file as a whole")
    parser.add_argument("--cost", action="store_true", help="load time and cost per message")
    args = parser.parse_args()
    if args.cost:
        print("\n".join(costs()))
        return
    lines = whole_file(args.file) if args.file else cross_validated()
    print("recall urgent; urgent-or-please-read by category, and everyday rates")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
