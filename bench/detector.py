"""Offline evaluation of the detector on simulated cohorts: one world, or the grid of issue 10.

`--grid` prints one line per world (detector_grid.WORLDS: autocorrelation, answer rates, item
noise, how much children vary, floor and ceiling of the scales) and a last line with the worst
world of each column: steady children alerted within the year (by reason), +1 and +2 SD rises
found and their median delay, the oracle's (a CUSUM told each child's true mean, SD and
autocorrelation, at the same share of steady children alerted) and the ratio of the medians.
Without `--grid` only the bench's original world (phi 0.15). `--children N` per group and
`--seed A,B,C` pool several cohorts per world; `--set name=value` tries another setting of
`DetectionParams`. Tuning seeds and held-out seeds: see README ("Detection").
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import fields, replace
from functools import partial
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.detector_grid import HEADER, WORLDS, Figures, line, measure, misses, worst
from bench.detector_world import World
from bot.domain.detection import DEFAULT_PARAMS, DetectionParams, Observation, Signal, run


class Detector:
    """`run` with fixed params, picklable for the worker processes."""

    def __init__(self, params: DetectionParams) -> None:
        self.params = params

    def __call__(self, observations: list[Observation]) -> list[Signal]:
        return run(observations, self.params)


def _settings(pairs: list[str]) -> DetectionParams:
    types = {f.name: f.type for f in fields(DetectionParams)}
    changes: dict[str, object] = {}
    for pair in pairs:
        name, _, text = pair.partition("=")
        if name not in types:
            raise SystemExit(f"no setting {name!r} in DetectionParams")
        kind = types[name] if isinstance(types[name], str) else types[name].__name__
        changes[name] = int(text) if kind == "int" else text if kind == "str" else float(text)
    return replace(DEFAULT_PARAMS, **changes)


def _one(world: World, n: int, seeds: list[int], detector: Detector) -> tuple[str, Figures]:
    return world.name, measure(world, n, seeds, detector)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="every world of the grid")
    parser.add_argument("--children", type=int, default=300, help="children per group")
    parser.add_argument(
        "--seed",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[20260302],
        help="one seed, or several joined by commas to pool their cohorts",
    )
    parser.add_argument("--set", action="append", default=[], help="name=value of a setting")
    parser.add_argument("--only", help="worlds whose name contains this (comma-separated)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    args = parser.parse_args()
    detector = Detector(_settings(args.set))
    worlds = WORLDS if args.grid else WORLDS[:1]
    if args.only:
        worlds = [w for w in WORLDS if any(part in w.name for part in args.only.split(","))]
    began = time.perf_counter()
    print(
        f"{args.children * len(args.seed)} children a group (steady, +1 SD, +2 SD) per world, "
        f"seeds {','.join(map(str, args.seed))}; settings changed: {args.set or 'none'}"
    )
    print(HEADER)
    work = partial(_one, n=args.children, seeds=args.seed, detector=detector)
    results = []
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            for name, figures in pool.imap(work, worlds):
                results.append((name, figures))
                print(line(name, figures), " ".join(misses(figures)), flush=True)
    else:
        for world in worlds:
            name, figures = work(world)
            results.append((name, figures))
            print(line(name, figures), " ".join(misses(figures)), flush=True)
    print(worst(results))
    print(f"seconds: {time.perf_counter() - began:.0f}")


if __name__ == "__main__":
    main()
