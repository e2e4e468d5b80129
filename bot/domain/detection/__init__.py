"""Detection core: a child's check-ins in, volunteer signals out; crisis words screened apart.

Pure and deterministic: no clock, no storage, no Telegram. The bot keeps one small
`DetectorState` per child (JSON) and feeds each finished or expired check-in to `step`.
"""

from bot.domain.detection.crisis import (
    EVERYDAY,
    PLEASE_READ,
    URGENT,
    Assessment,
    CrisisFinding,
    assess,
    screen,
)
from bot.domain.detection.detector import run, step
from bot.domain.detection.params import DEFAULT_PARAMS, DetectionParams
from bot.domain.detection.signals import Observation, Reason, Severity, Signal
from bot.domain.detection.state import DetectorState

__all__ = [
    "DEFAULT_PARAMS",
    "EVERYDAY",
    "PLEASE_READ",
    "URGENT",
    "Assessment",
    "CrisisFinding",
    "DetectionParams",
    "DetectorState",
    "Observation",
    "Reason",
    "Severity",
    "Signal",
    "assess",
    "run",
    "screen",
    "step",
]
