"""The schema, one module per area; every model is imported here.

`from bot.adapters.db.models import X` names any model, and importing this package fills
`Base.metadata` with every table, which Alembic's autogenerate and `create_all` rely on.
"""

from bot.adapters.db.models.alerts import LIVE_ALERT, AccessLog, Alert, CaseNote
from bot.adapters.db.models.base import Base, Id
from bot.adapters.db.models.checkins import WORDS_KEPT, Answer, Checkin, DetectorStateRow
from bot.adapters.db.models.family import (
    CallRecord,
    ContactPlan,
    FollowUp,
    Highlight,
    Relay,
    Visit,
)
from bot.adapters.db.models.outbox import Outbox
from bot.adapters.db.models.people import ChildProfile, Consent, Invite, Link, Person
from bot.adapters.db.models.program import ProgramSetting

__all__ = [
    "LIVE_ALERT",
    "WORDS_KEPT",
    "AccessLog",
    "Alert",
    "Answer",
    "Base",
    "CallRecord",
    "CaseNote",
    "Checkin",
    "ChildProfile",
    "Consent",
    "ContactPlan",
    "DetectorStateRow",
    "FollowUp",
    "Highlight",
    "Id",
    "Invite",
    "Link",
    "Outbox",
    "Person",
    "ProgramSetting",
    "Relay",
    "Visit",
]
