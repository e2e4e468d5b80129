"""Invite codes: random, single-use, expiring, and kept only as a hash.

A code travels as a Telegram deep link (`?start=CODE`), which allows at most 64 characters of
A-Z, a-z, 0-9, _ and -. 16 random bytes give 22 such characters and 128 bits: unguessable.
"""

from __future__ import annotations

import hashlib
import re
import secrets

_CODE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_code() -> str:
    return secrets.token_urlsafe(16)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def looks_like_code(text: str) -> bool:
    return bool(_CODE.match(text))


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"
