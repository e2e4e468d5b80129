"""The crisis screen's threshold policy: how out-of-fold scores become `low`, `high` and the
lexicon floor (bench/train_crisis_model.py chooses with it; bench/crisis_screen.py draws its
trade-off curve with it).

The verdicts here mirror crisis.assess exactly, from precomputed lexicon findings and model
scores, so that thousands of threshold settings can be tried without rescoring any text.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crisis_training_data import EVERYDAY, Probe  # noqa: E402
from bot.domain.detection.crisis import screen  # noqa: E402
from bot.domain.detection.crisis_lexicon import CrisisLexicon  # noqa: E402

URGENT_FP, READ_CAP = 0.025, 0.15  # the policy (see bench/train_crisis_model.py)
FLOORS = (1e-4, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8)  # 1e-4: every lexicon hit is urgent
# Lexicon kinds urgent whatever the model says: a named method always (method words predict
# imminent risk most, shared/DOMAIN_NOTES.md), a stated intent when the policy allows it.
SURE = (("method",), ("method", "intent"))


@dataclass(frozen=True)
class Policy:
    low: float
    high: float
    floor: float
    sure: tuple[str, ...] = ()  # lexicon kinds that are urgent whatever the model says


@dataclass(frozen=True)
class Screened:
    """What the lexicon said of one probe, computed once."""

    hit: bool
    kinds: frozenset[str] = frozenset()

    def sure(self, policy: Policy) -> bool:
        return bool(self.kinds & set(policy.sure))


def screened(probes: Sequence[Probe], lexicon: CrisisLexicon) -> list[Screened]:
    found = [screen(p.text, lexicon) for p in probes]
    return [Screened(f is not None, frozenset(f.kinds if f else ())) for f in found]


def levels(lex: Sequence[Screened], scores: Sequence[float], policy: Policy) -> list[str]:
    """The bot's verdicts (crisis.assess) from precomputed lexicon findings and scores."""
    out = []
    for found, s in zip(lex, scores, strict=True):
        if found.hit:
            sure = found.sure(policy) or s >= min(policy.floor, policy.high)
            out.append("urgent" if sure else "please_read")
        else:
            out.append("urgent" if s >= policy.high else "please_read" if s >= policy.low else "")
    return out


def apply_policy(
    probes, lex, scores, given: Policy, urgent_fp: float = URGENT_FP, read_cap: float = READ_CAP
) -> Policy | None:
    """The lowest thresholds the policy allows with the given lexicon floor and sure kinds;
    None when the lexicon alone already makes more than urgent_fp of everyday urgent."""
    floor = given.floor
    day = [(f, s) for p, f, s in zip(probes, lex, scores, strict=True) if p.label == EVERYDAY]
    by_lexicon = sum(f.hit and (f.sure(given) or s >= floor) for f, s in day)
    budget = int(urgent_fp * len(day)) - by_lexicon
    if budget < 0:
        return None
    # A lexicon hit the floor leaves to the model is urgent above `high` like any message.
    rest = sorted(
        (s for f, s in day if not (f.hit and (f.sure(given) or s >= floor))), reverse=True
    )
    high = min(0.999, rest[budget] + 1e-6) if budget < len(rest) else 0.5
    demoted = sum(f.hit and not f.sure(given) and s < min(floor, high) for f, s in day)
    below = [s for f, s in day if not f.hit and s < high]
    below.sort(reverse=True)
    read_budget = max(0, int(read_cap * len(day)) - demoted)
    low = below[read_budget] + 1e-6 if read_budget < len(below) else 1e-4
    return Policy(round(min(low, high), 6), round(high, 6), floor, given.sure)


def figures(probes, lex, scores, policy: Policy, names: Sequence[str]) -> dict[str, float]:
    """Urgent and urgent-or-read recall per category; everyday urgent and read-only rates."""
    verdicts = levels(lex, scores, policy)
    result = {}
    for label in (*names, EVERYDAY):
        mine = [v for p, v in zip(probes, verdicts, strict=True) if p.label == label]
        result[f"{label}_urgent"] = mine.count("urgent") / len(mine)
        result[f"{label}_read"] = (len(mine) - mine.count("")) / len(mine)
    result[f"{EVERYDAY}_read_only"] = result[f"{EVERYDAY}_read"] - result[f"{EVERYDAY}_urgent"]
    return result


def best_policy(probes, lex, scores, names, urgent_fp=URGENT_FP, read_cap=READ_CAP):
    """The lexicon floor and sure kinds (and their thresholds) with the best worst-category
    recall; None when no setting keeps within the caps."""
    best = None
    for floor, sure in ((floor, sure) for floor in FLOORS for sure in SURE):
        policy = apply_policy(probes, lex, scores, Policy(0, 0, floor, sure), urgent_fp, read_cap)
        if policy is None:
            continue
        got = figures(probes, lex, scores, policy, names)
        key = (
            round(min(got[f"{n}_read"] for n in names), 2),  # whole points: no trading
            # half the urgent recall for a tenth of a point of urgent-or-read
            round(min(got[f"{n}_urgent"] for n in names), 4),
            -round(got[f"{EVERYDAY}_read"], 4),
        )
        if best is None or key > best[0]:
            best = (key, policy, got)
    return best
