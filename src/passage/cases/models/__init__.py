"""The cases app's models, one module per concern."""

from passage.cases.models.case import (
    REFERENCE_PREFIX,
    Campaign,
    Case,
    CaseEvent,
    DeskPriority,
    ReferenceCounter,
)
from passage.cases.models.checks import (
    SHAREABLE_SECTIONS,
    Approval,
    CaseShare,
    Consent,
    DuplicateFlag,
    VerificationItem,
)
from passage.cases.models.people import NAME_SCOPES, ContactChannel, Person
from passage.cases.models.rollups import (
    ArrivalRollup,
    CaseRollup,
    CaseTotal,
    Measure,
    StageRollup,
)

__all__ = [
    "NAME_SCOPES",
    "REFERENCE_PREFIX",
    "SHAREABLE_SECTIONS",
    "Approval",
    "ArrivalRollup",
    "Campaign",
    "Case",
    "CaseEvent",
    "CaseRollup",
    "CaseShare",
    "CaseTotal",
    "Consent",
    "ContactChannel",
    "DeskPriority",
    "DuplicateFlag",
    "Measure",
    "Person",
    "ReferenceCounter",
    "StageRollup",
    "VerificationItem",
]
