"""State changes and audited exports for agreements, bodies and meetings.

Split by feature; import from here (``from agreements import services``).
"""

from agreements.services.agreements import (  # noqa: F401
    SectionData,
    add_party,
    add_signatory,
    create_local_agreement,
    sign,
    start_revision,
    update_revision,
)
from agreements.services.base import (  # noqa: F401
    STANDARD_BODIES,
    STANDARD_SECTIONS,
    AgreementsError,
    MinutesError,
    RevisionLockedError,
    RoutingError,
    SigningError,
    StaleEdit,
    Template,
    agreement_subject,
)
from agreements.services.bodies import (  # noqa: F401
    create_standard_bodies,
    save_body,
    save_member,
)
from agreements.services.corrections import (  # noqa: F401
    remove_attachment,
    remove_party,
    remove_plan_item,
    remove_signatory,
    update_attachment,
    update_party,
    update_plan_item,
    update_signatory,
    withdraw_signature,
)
from agreements.services.daily import daily_job  # noqa: F401
from agreements.services.exports import (  # noqa: F401
    export_agreement_pdf,
    export_meetings_csv,
    export_minutes_pdf,
    open_attachment,
)
from agreements.services.justering import (  # noqa: F401
    MAX_CHECKERS,
    appoint_checkers,
    check_minutes,
    missing_for_own_check,
)
from agreements.services.meetings import (  # noqa: F401
    AssignmentInput,
    MeetingInput,
    add_addendum,
    carry_in,
    create_meeting,
    delete_meeting,
    missing_for_deletion,
    open_assignments_for,
    publish_minutes,
    refresh_agenda,
    update_assignment,
    update_meeting,
    withdraw_meeting,
)
from agreements.services.notices import (  # noqa: F401
    NoticeResult,
    cancel_meeting,
    export_notice_pdf,
    missing_for_notice,
    send_notice,
)
from agreements.services.papers import add_paper, open_paper, remove_paper  # noqa: F401
from agreements.services.records import (  # noqa: F401
    add_attachment,
    add_plan_item,
    record_originals_step,
    record_review,
)
from agreements.services.replies import reply_to_notice  # noqa: F401
