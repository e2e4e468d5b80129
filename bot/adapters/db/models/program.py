"""Switches a coordinator turns for the whole program."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.adapters.db.models.base import Base


class ProgramSetting(Base):
    """A switch a coordinator turns in chat for the whole program (e.g. mood words in updates)."""

    __tablename__ = "program_settings"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
