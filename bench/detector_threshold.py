"""The drift threshold from standard noise, not from any world of the grid.

A steady child here is independent normal answers (SD 1, prior SD 1, no rounding, no
autocorrelation) at 156 scheduled check-ins a year, each answered with probability 0.7 (the
expected answers a year). The statistic of changepoint.py runs over each year with the
detector's window; `drift_h` is the quantile of the yearly maximum that leaves `--share` of such
children with a drift alert (a design choice: about 3%). As the statistic profiles the level
out and standardises by the child's own SD and autocorrelation, the same h should hold in
worlds it was not set on: the grid (bench/detector.py --grid) is where that is checked.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.detector import _settings
from bot.domain.detection import DetectionParams
from bot.domain.detection.changepoint import cusum_step, drift

YEAR, RATE = 156, 0.7


def yearly_peak(rng: random.Random, settings: DetectionParams) -> float:
    values: list[float] = []
    gaps: list[int] = []
    gap, peak, cusum, run = 0, 0.0, 0.0, 0
    params = replace(settings, spread_floor=0.01)
    for _ in range(YEAR):
        gap += 1
        if rng.random() > RATE:
            continue
        values.append(rng.gauss(0, 1))
        gaps.append(gap)
        gap = 0
        values, gaps = values[-params.window :], gaps[-params.window :]
        if len(values) <= params.min_answered:
            continue
        if params.drift_design == "cusum":
            moved = cusum_step(values, gaps, 1.0, run, params)
            cusum = moved.advance(cusum, params.drift_shift)
            run = run + 1 if cusum > 0 else 0
            peak = max(peak, cusum)
        else:
            peak = max(peak, drift(values, gaps, 1.0, params).statistic)
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=4000)
    parser.add_argument("--share", type=float, default=0.03)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--set", action="append", default=[], help="name=value of a setting")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    settings = _settings(args.set)
    slow = sorted(yearly_peak(rng, settings) for _ in range(args.children))
    for share in sorted({args.share, 0.02, 0.05, 0.10}):
        h = slow[int((1 - share) * len(slow))]
        print(f"yearly drift alerts {100 * share:.0f}% of steady children: h {h:.2f}")
    print(f"in use: drift_h {settings.drift_h}")


if __name__ == "__main__":
    main()
