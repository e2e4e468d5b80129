"""The drift threshold table from standard noise, not from any world of the grid.

A steady child here is AR(1) normal answers (SD 1, prior SD 1, no rounding) with true lag-1
autocorrelation `phi` between scheduled check-ins, each answered with probability `rate`, for a
year (156 scheduled check-ins). The CUSUM of changepoint.py runs over each year as in the bot
and records, at every complete check-in, its value and what the child's own answers said: the
autocorrelation estimated from the answers before the CUSUM's current run (so a rise, which
looks like persistence, cannot raise its own threshold) and the answer rate. Both move the
threshold a fixed share of children needs: a persistent child gets a smaller k (prewhitening
leaves less of a step in each answer), its phi is underestimated on few answers (shrinkage,
small-sample bias), and either lets the CUSUM wander higher; a child who answers more often
has more chances a year to cross. With one h (9.85) the share alerted ran from 2% (phi 0) to
20% (phi 0.45) and 32% (0.6) at 70% answered.

`--table`: per cell (rates 0.3-0.9, true phi 0-0.6) the constant h that alerts `--share` of
it, placed at the cell's mean estimated phi; per rate, log h is fitted as a line through its
five cells, read at fixed knots and scaled so the rate's cells together alert `--share`; the
bot interpolates it at each check-in on the child's own estimates (changepoint.threshold).
It writes bot/domain/detection/drift_table.py. Regenerate after changing anything the CUSUM or
the phi estimate depends on:
`.venv/bin/python bench/detector_threshold.py --table --children 800 --share 0.04` (about
five minutes; `--cache FILE` keeps the simulated years for refits).
Without `--table` it reports the yearly share alerted with the table in use, per cell.
"""

from __future__ import annotations

import argparse
import math
import pickle
import random
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench.detector import _settings
from bot.domain.detection import DetectionParams
from bot.domain.detection.changepoint import (
    Rows,
    answer_rate,
    cusum_step,
    drift,
    interpolate,
    threshold,
)

YEAR = 156
RATES = (0.3, 0.5, 0.7, 0.9)
PHIS = (0.0, 0.15, 0.3, 0.45, 0.6)
KNOTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)  # estimated phi at which the table is read
TABLE = Path(__file__).resolve().parent.parent / "bot/domain/detection/drift_table.py"
Path_ = list[tuple[float, float, float]]  # (statistic, estimated phi, estimated rate) per answer


def yearly_path(rng: random.Random, settings: DetectionParams, phi: float, rate: float) -> Path_:
    """One steady child's year of standard noise through the drift statistic."""
    values: list[float] = []
    gaps: list[int] = []
    gap, cusum, run, path = 0, 0.0, 0, []
    params = replace(settings, spread_floor=0.01)
    x = rng.gauss(0, 1)
    for _ in range(YEAR):
        x = phi * x + math.sqrt(1 - phi * phi) * rng.gauss(0, 1)
        gap += 1
        if rng.random() > rate:
            continue
        values.append(x)
        gaps.append(gap)
        gap = 0
        values, gaps = values[-params.window :], gaps[-params.window :]
        if len(values) <= params.min_answered:
            continue
        if params.drift_design == "cusum":
            moved = cusum_step(values, gaps, 1.0, run, params)
            cusum = moved.advance(cusum, params.drift_shift)
            run = run + 1 if cusum > 0 else 0
            path.append((cusum, moved.phi_start, answer_rate(gaps)))
        else:
            path.append((drift(values, gaps, 1.0, params).statistic, 0.0, rate))
    return path


def yearly_peak(
    rng: random.Random, settings: DetectionParams, phi: float = 0.15, rate: float = 0.7
) -> float:
    """The year's largest statistic over the threshold in use at each answer (1: alerted)."""
    path = yearly_path(rng, settings, phi, rate)
    if settings.drift_design != "cusum":
        return max((s for s, *_ in path), default=0.0) / settings.drift_h
    return max((s / threshold(p, r, settings) for s, p, r in path), default=0.0)


def fit(cells: dict[tuple[float, float], list[Path_]], share: float) -> Rows:
    """A table under which each rate's cells alert about `share` of their children.

    Per cell, the constant threshold that alerts `share` of it, placed at the cell's mean
    estimated phi; per rate, log h is fitted as a line through its cells (cells overlap in
    estimated phi, so thresholds fitted cell by cell against each other do not settle), then
    scaled so the rate's cells together alert `share`."""
    rows = []
    for rate in RATES:
        x, y = [], []
        for phi in PHIS:
            paths = cells[rate, phi]
            x.append(sum(p for path in paths for _, p, _ in path) / max(1, sum(map(len, paths))))
            y.append(
                math.log(
                    _quantile([max((s for s, *_ in path), default=0.0) for path in paths], share)
                )
            )
        slope, intercept = np.polyfit(x, y, 1)
        row = ((rate, tuple((k, math.exp(intercept + slope * k)) for k in KNOTS)),)
        pooled = [path for phi in PHIS for path in cells[rate, phi]]
        scale = _quantile(
            [
                max((s / interpolate(row, p, rate) for s, p, _ in path), default=0.0)
                for path in pooled
            ],
            share,
        )
        rows.append((rate, tuple((k, round(h * scale, 2)) for k, h in row[0][1])))
    return tuple(rows)


def _quantile(peaks: list[float], share: float) -> float:
    ordered = sorted(peaks)
    return ordered[min(len(ordered) - 1, int((1 - share) * len(ordered)))]


def _write(rows: Rows, share: float, children: int, changed: list[str]) -> None:
    """The table as a module, laid out as `ruff format` would."""
    lines = [
        '"""Drift thresholds by answer rate and estimated phi (generated: do not edit).',
        "",
        f"`bench/detector_threshold.py --table --children {children} --share {share}` on",
        f"standard noise (settings changed from the defaults: {changed or 'none'}): within each",
        f"answer rate the table alerts about {100 * share:g}% of steady children a year. Rows:",
        "(answer rate, ((phi estimated before the CUSUM's current run, h), ...));",
        "changepoint.threshold interpolates.",
        '"""',
        "",
        f"SHARE = {share!r}",
        "ROWS: tuple[tuple[float, tuple[tuple[float, float], ...]], ...] = (",
    ]
    for rate, knots in rows:
        lines += ["    (", f"        {rate!r},", "        ("]
        lines += [f"            ({phi!r}, {h!r})," for phi, h in knots]
        lines += ["        ),", "    ),"]
    TABLE.write_text("\n".join([*lines, ")"]) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1000, help="children per cell")
    parser.add_argument("--share", type=float, default=0.04)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--table", action="store_true", help="fit and write drift_table.py")
    parser.add_argument("--set", action="append", default=[], help="name=value of a setting")
    parser.add_argument("--cache", help="keep the simulated paths in this file (refits only)")
    args = parser.parse_args()
    settings = _settings(args.set)
    if args.cache and Path(args.cache).exists():
        cells = pickle.loads(Path(args.cache).read_bytes())
    else:
        cells = {}
        for rate in RATES:
            for phi in PHIS:
                rng = random.Random(f"{args.seed}/{rate}/{phi}")
                cells[rate, phi] = [
                    yearly_path(rng, settings, phi, rate) for _ in range(args.children)
                ]
        if args.cache:
            Path(args.cache).write_bytes(pickle.dumps(cells))
    if args.table:
        rows = fit(cells, args.share)
        _write(rows, args.share, len(cells[RATES[0], PHIS[0]]), args.set)
        print(f"wrote {TABLE}")
    else:
        rows = None
    for (rate, phi), paths in cells.items():
        peaks = [
            max(
                (
                    s / (interpolate(rows, p, r) if rows else threshold(p, r, settings))
                    for s, p, r in path
                ),
                default=0.0,
            )
            for path in paths
        ]
        print(f"rate {rate} phi {phi}: {100 * sum(x >= 1 for x in peaks) / len(peaks):.1f}%")


if __name__ == "__main__":
    main()
