"""Drift thresholds by answer rate and estimated phi (generated: do not edit).

`bench/detector_threshold.py --table --children 800 --share 0.04` on
standard noise (settings changed from the defaults: none): within each
answer rate the table alerts about 4% of steady children a year. Rows:
(answer rate, ((phi estimated before the CUSUM's current run, h), ...));
changepoint.threshold interpolates.
"""

SHARE = 0.04
ROWS: tuple[tuple[float, tuple[tuple[float, float], ...]], ...] = (
    (
        0.3,
        (
            (0.0, 7.62),
            (0.1, 9.64),
            (0.2, 12.18),
            (0.3, 15.4),
            (0.4, 19.47),
            (0.5, 24.61),
            (0.6, 31.11),
        ),
    ),
    (
        0.5,
        (
            (0.0, 9.28),
            (0.1, 10.73),
            (0.2, 12.41),
            (0.3, 14.35),
            (0.4, 16.6),
            (0.5, 19.19),
            (0.6, 22.19),
        ),
    ),
    (
        0.7,
        (
            (0.0, 9.95),
            (0.1, 11.81),
            (0.2, 14.0),
            (0.3, 16.61),
            (0.4, 19.7),
            (0.5, 23.36),
            (0.6, 27.71),
        ),
    ),
    (
        0.9,
        (
            (0.0, 11.28),
            (0.1, 13.44),
            (0.2, 16.01),
            (0.3, 19.07),
            (0.4, 22.73),
            (0.5, 27.07),
            (0.6, 32.26),
        ),
    ),
)
