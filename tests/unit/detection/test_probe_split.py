"""The crisis probe split is fixed: both held-out sets and every training file stay exactly as
written, the bench scores no held-out text that a training file (or, for set 2, the first
half) holds, and it reports every category each set holds. (This reads the held-out files,
which a test may; nothing here tunes on them or shows their texts: only counts are compared,
each computed before its assert so that a failure prints a number, never a text or a score.)"""

from __future__ import annotations

import hashlib
from collections import Counter

import yaml

from bench.crisis_screen import HELDOUT_2_FILE, HELDOUT_FILE, evaluate, unseen_probes
from bench.crisis_training_data import (
    DEV_FILE,
    EXTRA_FILES,
    PROBES_FILE,
    TRAINING_FILES,
    training_texts,
)

CATEGORIES = {"self_harm", "abuse", "bullying", "running_away"}

SHA256 = {
    DEV_FILE: "21768744c34edc8a04fc6b087b45920c661467c806371bd9d574addbdeb3b0ec",
    HELDOUT_FILE: "8c6f463333517c1988aded3434ee86afd938de8ce6920c08b87fe0eb1aec87ed",
    # written blind in round 3 (see its header); NO TUNING MAY LOOK AT IT
    HELDOUT_2_FILE: "cd47a24bd328e7b877094f8116f743724631a20fddb3e710a4c87c7aa5177dc2",
    # the extras as reviewed before first use (16 near-the-line negatives dropped; see headers)
    EXTRA_FILES[0]: "659858a938b6d39f77b315e5ed0e10228f39cf2c5d87c5845d332ec644e5ec4e",
    EXTRA_FILES[1]: "c30446a9e042777c4023d4518e66028e0bef0f7164887b6aad2cedfff46af6a1",
    # round 3 (one line that was also a held-out text dropped before training; see its header)
    EXTRA_FILES[2]: "be2fe37fdcbd12c901ad452090c9544bc2cad3081df382ede6dcc9a316ce41ca",
    PROBES_FILE: "5b084fff21f882bf41a3805c3b835066bb6d879437ef63fa5fbcdd25ca4ced1c",
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


def test_the_held_out_half_and_every_training_file_are_the_files_as_written():
    for path, digest in SHA256.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path.name


# The files as given share this many texts with the held-out half (found by this test; the
# held-out data is not ours to edit): the bench leaves them out of the held-out figures, so
# no text scored as held out was trained on.
SHARED = 25


def test_no_training_text_is_scored_as_held_out():
    heldout = _texts(HELDOUT_FILE)
    assert len(heldout & training_texts()) == SHARED
    scored = {p.text.strip() for p in unseen_probes(HELDOUT_FILE)}
    assert len(scored) == len(heldout) - SHARED
    assert not scored & training_texts()


def test_the_bench_reports_every_held_out_category():
    result = evaluate(HELDOUT_FILE)
    assert set(result.categories) == _categories(HELDOUT_FILE)
    assert set(result.categories) == CATEGORIES
    assert all(counts.total > 0 for counts in result.categories.values())
    assert result.everyday.total > 0
    assert result.worst() in result.categories


# Set 2's texts met in a training file (5) or in the first half (2; one is in both), found by
# counting only (3 self_harm, 1 bullying, 2 everyday; common phrasings two writers hit alike).
# The bench leaves them out of set 2's figures.
SHARED_2 = 6


def test_set_2_is_written_as_asked_and_never_trained_on():
    with HELDOUT_2_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    per_category = Counter(p["category"] for p in data["positives"])
    assert set(per_category) == CATEGORIES
    smallest = min(per_category[c] for c in CATEGORIES - {"running_away"})
    assert smallest >= 70
    assert per_category["running_away"] >= 50
    negatives = len(data["negatives"])
    assert negatives >= 320
    langs = {p["lang"] for p in data["positives"] + data["negatives"]}
    assert langs <= {"zh", "en", "mixed"}
    assert HELDOUT_2_FILE not in TRAINING_FILES


def test_no_training_or_first_half_text_is_scored_in_set_2():
    set_2, seen = _texts(HELDOUT_2_FILE), training_texts() | _texts(HELDOUT_FILE)
    shared = len(set_2 & seen)
    assert shared == SHARED_2
    scored = {p.text.strip() for p in unseen_probes(HELDOUT_2_FILE)}
    kept = len(scored)
    assert kept == len(set_2) - SHARED_2
    leaked = len(scored & seen)
    assert leaked == 0


def test_the_bench_reports_every_category_of_set_2():
    result = evaluate(HELDOUT_2_FILE)
    reported = {name: counts.total for name, counts in result.categories.items()}
    expected = Counter(p.label for p in unseen_probes(HELDOUT_2_FILE))
    everyday = expected.pop("everyday")
    assert reported == dict(expected)
    assert set(reported) == CATEGORIES
    smallest = min(reported.values())
    assert smallest > 0
    total = result.everyday.total
    assert total == everyday
    worst = result.worst()
    assert worst in CATEGORIES
