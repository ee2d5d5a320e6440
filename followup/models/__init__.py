"""Annual follow-up: the county survey (question bank, surveys, responses) and local indicators.

Split by theme; import from here (``from followup.models import Survey``). Every model keeps the
app label ``followup``.
"""

from followup.models.indicators import (  # noqa: F401
    INDICATOR_RANGES,
    Indicator,
    IndicatorYear,
    ManualFigure,
    steering_group_ids,
)
from followup.models.responses import (  # noqa: F401
    Answer,
    Commentary,
    ImportPreview,
    Participants,
    Response,
    ResponseQuerySet,
)
from followup.models.surveys import (  # noqa: F401
    MAX_ORDER,
    AnswerOption,
    Question,
    Reminder,
    Section,
    Survey,
    SurveyContact,
    SurveyContactQuerySet,
    contact_group_ids,
    survey_date_problems,
)
from followup.models.years import (  # noqa: F401
    FIRST_SURVEY_YEAR,
    LAST_SURVEY_YEAR,
    YEARS_AROUND_TODAY,
    groups_in_year,
    in_force_during,
    plausible_years,
    year_bounds,
)
