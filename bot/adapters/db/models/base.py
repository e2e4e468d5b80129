"""The declarative base every model shares. Portable SQL only: it runs on SQLite and PostgreSQL
alike.

Telegram ids exceed 32 bits, so they are BigInteger; primary keys use an Integer variant on SQLite
so they stay rowid aliases there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Integer,
    MetaData,
)
from sqlalchemy.orm import DeclarativeBase

from bot.adapters.db.types import UtcDateTime

Id = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar = {datetime: UtcDateTime(), dict[str, Any]: JSON}
