"""The crisis probe split is fixed: the held-out half stays exactly as written, shares no text
with the development half, and the bench reports every category it holds. (This reads the
held-out file, which a test may; nothing here tunes on it or shows its texts.)"""

from __future__ import annotations

import hashlib

import yaml

from bench.crisis_screen import HELDOUT_FILE, evaluate, unseen_probes
from bench.train_crisis_model import DEV_FILE

SHA256 = {
    DEV_FILE: "21768744c34edc8a04fc6b087b45920c661467c806371bd9d574addbdeb3b0ec",
    HELDOUT_FILE: "8c6f463333517c1988aded3434ee86afd938de8ce6920c08b87fe0eb1aec87ed",
}


def _texts(path) -> set[str]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {p["text"].strip() for p in data["positives"]} | {
        n["text"].strip() for n in data["negatives"]
    }


def _categories(path) -> set[str]:
    with path.open(encoding="utf-8") as handle:
        return {p["category"] for p in yaml.safe_load(handle)["positives"]}


def test_both_halves_are_the_files_as_written():
    for path, digest in SHA256.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path.name


# The files as given share this many texts (found by this test; the data is not ours to
# edit): the bench leaves them out of the held-out figures, so no text scored as held-out was
# trained on. Only counts are compared, so a failure never prints a held-out text.
SHARED = 14


def test_no_text_is_in_both_halves_as_the_bench_scores_them():
    shared = len(_texts(DEV_FILE) & _texts(HELDOUT_FILE))
    assert shared == SHARED
    scored = len(unseen_probes(HELDOUT_FILE))
    heldout = len(_texts(HELDOUT_FILE))
    assert scored == heldout - SHARED
    assert not {p.text.strip() for p in unseen_probes(HELDOUT_FILE)} & _texts(DEV_FILE)


def test_the_bench_reports_every_held_out_category():
    result = evaluate(HELDOUT_FILE)
    assert set(result.categories) == _categories(HELDOUT_FILE)
    assert set(result.categories) == {"self_harm", "abuse", "bullying", "running_away"}
    assert all(counts.total > 0 for counts in result.categories.values())
    assert result.everyday.total > 0
    assert result.worst() in result.categories
