"""SQLAlchemy models; importing this package registers every table on `Base.metadata`."""

from dashboard.models.aggregates import DataVersion, FigureCell
from dashboard.models.embeds import EmbedChart, EmbedLink
from dashboard.models.indicators import (
    DistrictReport,
    Indicator,
    IndicatorValue,
    Period,
    Programme,
    Target,
)
from dashboard.models.notifications import Notification
from dashboard.models.registries import (
    Cooperative,
    DigitalService,
    DistrictPlan,
    LinkageModel,
    PilotModel,
    PilotStatus,
    TrainingEvent,
)
from dashboard.models.units import Level, OrgUnit, UnitChange, UnitGroup, UnitHeir
from dashboard.models.users import AuditLog, User

__all__ = [
    "AuditLog",
    "Cooperative",
    "DataVersion",
    "DigitalService",
    "DistrictPlan",
    "DistrictReport",
    "EmbedChart",
    "EmbedLink",
    "FigureCell",
    "Indicator",
    "IndicatorValue",
    "Level",
    "LinkageModel",
    "Notification",
    "OrgUnit",
    "Period",
    "PilotModel",
    "PilotStatus",
    "Programme",
    "Target",
    "TrainingEvent",
    "UnitChange",
    "UnitGroup",
    "UnitHeir",
    "User",
]
