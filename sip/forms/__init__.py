"""Forms validate and return typed values; the services in sip/services.py act on them.

Split by theme; import from here (``from sip.forms import PlanForm``).
"""

from sip.forms.child import (  # noqa: F401
    CHILD_FIELDS,
    ChildFieldsMixin,
    RecordedChildField,
)
from sip.forms.fields import (  # noqa: F401
    DateInput,
    SharedChoiceField,
    StaffChoiceField,
    UnitChoiceField,
    principals_for_group,
    staff_of_units,
    units_for_group,
)
from sip.forms.followup import (  # noqa: F401
    CloseForm,
    EvaluationForm,
    FollowUpForm,
    ReviseForm,
)
from sip.forms.forum import ForumCaseForm, ProtocolForm  # noqa: F401
from sip.forms.plan import (  # noqa: F401
    PLAN_FIELDS,
    AgreeForm,
    BaseRowFormSet,
    MeasureForm,
    MeasureFormSet,
    ParticipantForm,
    ParticipantFormSet,
    PlanForm,
    check_responsible_users,
    plan_data,
)
