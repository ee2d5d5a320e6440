"""What goes wrong in an import: a file's errors by line and column, and the refusals."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from followup.services import FollowupError


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file; the header is line 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "–",
            "message": self.message,
        }


class ImportFailed(FollowupError):
    """The file has errors; nothing was imported. ``errors`` lists them by line and column."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(_("%(count)s errors; nothing was imported.") % {"count": len(errors)})


class ImportRefused(FollowupError):
    """The survey does not take imports now (closed, or not yet opened)."""


class PlanChanged(FollowupError):
    """The records changed after the preview was shown; it must be checked again."""


def _refuse(line: int, message: str) -> ImportFailed:
    return ImportFailed([RowError(line, "", message)])
