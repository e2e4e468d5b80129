"""What the core may expect to go wrong in storage, named without the database library.

The adapters translate their driver's errors into these, so services and the Telegram layer
can react (retry, treat as a repeat) without importing SQLAlchemy.
"""


class StorageError(Exception):
    """The store could not do what was asked (busy, gone away, refused); worth a retry."""


class Conflict(StorageError):
    """A uniqueness rule refused a write: someone else wrote the same thing a moment ago."""
