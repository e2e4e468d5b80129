"""The crisis model's training probes: which files, read how, and their fingerprint.

Training reads the development half (tests/data/crisis_probes/dev.yaml), the three training-only
extras (train_extra_*.yaml; round 3 added train_extra_r3.yaml) and the old in-repo probes
(tests/data/crisis_probes.yaml). NEVER
the held-out half: nothing here opens heldout.yaml; bench/crisis_screen.py alone reads it, for
aggregate figures, and leaves out any held-out text that is also a training text.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crisis_probes import PROBES_FILE, load_probes  # noqa: E402

PROBE_DIR = ROOT / "tests" / "data" / "crisis_probes"
DEV_FILE = PROBE_DIR / "dev.yaml"
EXTRA_FILES = (
    PROBE_DIR / "train_extra_en_mixed.yaml",
    PROBE_DIR / "train_extra_zh.yaml",
    PROBE_DIR / "train_extra_r3.yaml",
)
# In this order: the fingerprint in the model file is over these bytes.
TRAINING_FILES = (DEV_FILE, *EXTRA_FILES, PROBES_FILE)
EVERYDAY = "everyday"


@dataclass(frozen=True)
class Probe:
    text: str
    label: str  # a crisis category, or EVERYDAY
    kind: str  # the probe set's finer pattern (ideation_direct, hyperbole, ...)
    lang: str = ""  # zh, en or mixed as the file says; "" for the old probes (no such field)


def read_probe_file(path: Path) -> list[Probe]:
    """A probe file of the dev.yaml shape: `positives` [{text, category, kind}], `negatives`
    [{text, kind}]."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    positives = [
        Probe(p["text"], p["category"], p["kind"], p.get("lang", "")) for p in data["positives"]
    ]
    return positives + [
        Probe(n["text"], EVERYDAY, n["kind"], n.get("lang", "")) for n in data["negatives"]
    ]


def old_probes() -> list[Probe]:
    positives, negatives = load_probes()
    return [Probe(text, category, "old") for text, category in positives] + [
        Probe(text, EVERYDAY, "old") for text in negatives
    ]


def training_probes() -> list[Probe]:
    """Every training probe once: a text met again (in a later file) is not counted twice,
    so cross-validation never scores a text that its fold trained on."""
    seen: set[str] = set()
    probes = []
    for probe in [p for path in TRAINING_FILES[:-1] for p in read_probe_file(path)] + old_probes():
        key = probe.text.strip()
        if key not in seen:
            seen.add(key)
            probes.append(probe)
    return probes


def training_texts() -> set[str]:
    """The stripped texts of every training file (the bench leaves these out of held-out)."""
    return {p.text.strip() for p in training_probes()}


def training_sha256(paths: Sequence[Path] = TRAINING_FILES) -> str:
    """One SHA-256 over the training files' bytes, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()
