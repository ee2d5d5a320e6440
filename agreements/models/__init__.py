"""Agreements app models; re-exported so ``from agreements.models import Unit`` keeps working."""

from agreements.models.agreements import (  # noqa: F401
    Agreement,
    AgreementStatus,
    Party,
    Revision,
    RevisionSection,
    Signatory,
)
from agreements.models.assignments import Assignment  # noqa: F401
from agreements.models.bodies import Body, BodyMember  # noqa: F401
from agreements.models.directory import (  # noqa: F401
    EDUCATION_SERVICES,
    REQUIRED_REPRESENTATION,
    REQUIRED_REPRESENTATION_LABELS,
    Area,
    AreaQuerySet,
    LocalGroup,
    LocalGroupQuerySet,
    Membership,
    MembershipQuerySet,
    Principal,
    ServiceType,
    Unit,
)
from agreements.models.meetings import (  # noqa: F401
    AgendaItem,
    Attendee,
    Decision,
    Meeting,
    MinutesAddendum,
    MinutesStatus,
)
from agreements.models.notices import Invitation, MeetingPaper, MinutesChecker  # noqa: F401
from agreements.models.records import Attachment, OriginalsStep, PlanItem, Review  # noqa: F401
from agreements.models.terms import Term  # noqa: F401
