"""State changes for agreements, bodies and meetings: lock, re-check the guard, save, audit.

Split by feature; import from here (``from agreements import services``).
"""

from agreements.services.agreements import (  # noqa: F401
    add_attachment,
    add_party,
    add_plan_item,
    add_signatory,
    create_local_agreement,
    record_originals_step,
    record_review,
    save_body,
    save_member,
    sign,
    start_revision,
    update_revision,
)
from agreements.services.base import (  # noqa: F401
    STANDARD_SECTIONS,
    AgreementsError,
    MinutesError,
    RevisionLockedError,
    RoutingError,
    SigningError,
    Template,
)
from agreements.services.meetings import (  # noqa: F401
    AssignmentInput,
    MeetingInput,
    add_addendum,
    check_minutes,
    create_meeting,
    open_assignments_for,
    publish_minutes,
    refresh_agenda,
    update_assignment,
    update_meeting,
)
