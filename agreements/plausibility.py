"""Plausible dates and numbers for agreements and meetings: the one place for the windows.

A date outside its window is a typo (1900-01-01, 9999-12-31) or a test left behind, and it
would count in the rules or mark an agreement as due. Forms state the window in the field's help
text and refuse a date outside it; the services check again (a request need not come from the
form). Each ``*_error`` function answers the message for a value outside its window, or "".
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: The earliest date of an agreement's adoption, decision, validity, signature or routing step.
EARLIEST_AGREEMENT_DATE = datetime.date(1990, 1, 1)
#: The earliest date of a meeting (and of checking its minutes or an assignment's due date).
EARLIEST_MEETING_DATE = datetime.date(2000, 1, 1)
MEETING_YEARS_AHEAD = 2
#: Reviews (the next review date, a recorded review) lie within this many years of today.
REVIEW_YEARS = 10
#: Validity periods, adoption dates and members' periods reach at most this far ahead.
AGREEMENT_YEARS_AHEAD = 10
ASSIGNMENT_YEARS_AHEAD = 5
PLAN_YEARS_AHEAD = 10

#: Numbers, with the ranges the forms allow (the database's own ranges are far larger).
ORIGINALS_RANGE = (1, 20)
MEETINGS_PER_TERM_RANGE = (0, 20)
NOTICE_DAYS_RANGE = (0, 60)
POSITION_RANGE = (0, 999)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _iso(day: datetime.date) -> str:
    return day.isoformat()


# Help texts, stated once and shown under the fields the windows guard.
MEETING_DATE_HELP = gettext_lazy("From 2000-01-01 up to two years from today.")
AGREEMENT_DATE_HELP = gettext_lazy("From 1990-01-01 up to ten years from today.")
ADOPTION_DATE_HELP = gettext_lazy("From 1990-01-01 up to one year from today.")
NEXT_REVIEW_HELP = gettext_lazy("Within ten years before or after today.")
REVIEWED_ON_HELP = gettext_lazy("Today or within the last ten years.")
NEXT_REVIEW_AFTER_HELP = gettext_lazy(
    "After the review, and at most ten years from today (usually a year later)."
)
SIGNED_ON_HELP = gettext_lazy(
    "Not before the revision was adopted (or 1990-01-01) and not in the future."
)
STEP_DATE_HELP = gettext_lazy("From 1990-01-01 up to today.")
CHECKED_ON_HELP = gettext_lazy("Not before the meeting and not in the future.")
DUE_DATE_HELP = gettext_lazy("From 2000-01-01 up to five years from today.")
PLAN_YEAR_HELP = gettext_lazy("From 2000 up to ten years ahead.")


def _window_error(value: datetime.date, earliest: datetime.date, latest: datetime.date) -> str:
    if value < earliest:
        return _("The date cannot be before %(date)s.") % {"date": _iso(earliest)}
    if value > latest:
        return _("The date cannot be after %(date)s.") % {"date": _iso(latest)}
    return ""


def meeting_date_error(value: datetime.date, today: datetime.date | None = None) -> str:
    """A meeting from 2000 up to two years ahead (a meeting may be logged in advance)."""
    return _window_error(
        value, EARLIEST_MEETING_DATE, add_years(_today(today), MEETING_YEARS_AHEAD)
    )


def agreement_date_error(value: datetime.date, today: datetime.date | None = None) -> str:
    """Validity dates and members' periods: from 1990 up to ten years ahead."""
    return _window_error(
        value, EARLIEST_AGREEMENT_DATE, add_years(_today(today), AGREEMENT_YEARS_AHEAD)
    )


def adoption_date_error(value: datetime.date, today: datetime.date | None = None) -> str:
    """An adoption or decision: from 1990 up to a year ahead (entered before the meeting)."""
    return _window_error(value, EARLIEST_AGREEMENT_DATE, add_years(_today(today), 1))


def next_review_error(value: datetime.date, today: datetime.date | None = None) -> str:
    """A next review date within ten years of today, either way (an overdue one is kept)."""
    today = _today(today)
    return _window_error(value, add_years(today, -REVIEW_YEARS), add_years(today, REVIEW_YEARS))


def reviewed_on_error(value: datetime.date, today: datetime.date | None = None) -> str:
    """A review that took place: today or within the last ten years."""
    today = _today(today)
    if value > today:
        return _("The date cannot be in the future.")
    return _window_error(value, add_years(today, -REVIEW_YEARS), today)


def review_pair_error(
    reviewed_on: datetime.date, next_review: datetime.date, today: datetime.date | None = None
) -> str:
    """The next review comes after the review and at most ten years from today."""
    if next_review <= reviewed_on:
        return _("The next review must come after this review.")
    return _window_error(next_review, reviewed_on, add_years(_today(today), REVIEW_YEARS))


def signed_on_error(
    value: datetime.date, adopted_on: datetime.date | None, today: datetime.date | None = None
) -> str:
    """A signature: not before the revision's adoption (or 1990) and not in the future."""
    today = _today(today)
    if value > today:
        return _("A signature cannot be dated in the future.")
    if adopted_on is not None and value < adopted_on:
        return _("A signature cannot be dated before the revision was adopted (%(date)s).") % {
            "date": _iso(adopted_on)
        }
    return _window_error(value, EARLIEST_AGREEMENT_DATE, today)


def past_date_error(
    value: datetime.date, earliest: datetime.date, today: datetime.date | None = None
) -> str:
    """Something that has happened: from ``earliest`` up to today."""
    today = _today(today)
    if value > today:
        return _("The date cannot be in the future.")
    return _window_error(value, earliest, today)


def due_date_error(value: datetime.date, today: datetime.date | None = None) -> str:
    return _window_error(
        value, EARLIEST_MEETING_DATE, add_years(_today(today), ASSIGNMENT_YEARS_AHEAD)
    )


def plan_year_range(today: datetime.date | None = None) -> tuple[int, int]:
    return EARLIEST_MEETING_DATE.year, _today(today).year + PLAN_YEARS_AHEAD
