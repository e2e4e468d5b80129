"""The crisis probe split is fixed: the held-out half and every training file stay exactly as
written, the bench scores no held-out text that a training file holds, and it reports every
category the held-out half holds. (This reads the held-out file, which a test may; nothing
here tunes on it or shows its texts: only counts are compared.)"""

from __future__ import annotations

import hashlib

import yaml

from bench.crisis_screen import HELDOUT_FILE, evaluate, unseen_probes
from bench.crisis_training_data import DEV_FILE, EXTRA_FILES, PROBES_FILE, training_texts

SHA256 = {
    DEV_FILE: "21768744c34edc8a04fc6b087b45920c661467c806371bd9d574addbdeb3b0ec",
    HELDOUT_FILE: "8c6f463333517c1988aded3434ee86afd938de8ce6920c08b87fe0eb1aec87ed",
    # the extras as reviewed before first use (16 near-the-line negatives dropped; see headers)
    EXTRA_FILES[0]: "659858a938b6d39f77b315e5ed0e10228f39cf2c5d87c5845d332ec644e5ec4e",
    EXTRA_FILES[1]: "c30446a9e042777c4023d4518e66028e0bef0f7164887b6aad2cedfff46af6a1",
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
    assert set(result.categories) == {"self_harm", "abuse", "bullying", "running_away"}
    assert all(counts.total > 0 for counts in result.categories.values())
    assert result.everyday.total > 0
    assert result.worst() in result.categories
