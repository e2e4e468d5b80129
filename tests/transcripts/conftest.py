"""The end-to-end harness (the bot against the Bot API emulator, Telegram's limits) is the one
tests/e2e uses; the transcripts drive its tick themselves, at the fake time they choose."""

from tests.e2e.conftest import emulator, emulator_limits, harness  # noqa: F401
