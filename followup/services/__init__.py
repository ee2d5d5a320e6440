"""Changes to the county survey: lock, re-check the guard, save, audit, in one transaction.

Split by theme; import from here (``from followup import services``).
"""

from followup.services.contacts import add_contact, remove_contact  # noqa: F401
from followup.services.errors import (  # noqa: F401
    FollowupError,
    IndicatorLockedError,
    ResponseConflictError,
    StaleEdit,
    SurveyStateError,
)
from followup.services.indicators import save_manual_figures, sign_off_year  # noqa: F401
from followup.services.questions import create_question, update_question  # noqa: F401
from followup.services.responses import (  # noqa: F401
    participants_conflict,
    save_commentary,
    save_response,
    start_response,
)
from followup.services.surveys import (  # noqa: F401
    close_survey,
    create_survey,
    groups_without_answer,
    open_survey,
    reopen_survey,
    send_reminders,
    update_survey,
)
