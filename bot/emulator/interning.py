"""Share identical keyboards and entity lists between messages.

A bot sends the same templated keyboard to thousands of chats; storing one copy
instead of one per message keeps benchmarks with 10,000+ chats lean. Shared
values must be treated as read-only (nothing in the emulator mutates them).
"""

from __future__ import annotations

import json
from typing import Any


class Interner:
    __slots__ = ("_cache", "max_size")

    def __init__(self, max_size: int = 20_000) -> None:
        self._cache: dict[str, Any] = {}
        self.max_size = max_size

    def __call__(self, value: Any) -> Any:
        if not value:
            return value
        key = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= self.max_size:
                self._cache.clear()
            self._cache[key] = found = value
        return found
