"""Importing survey responses from an external survey tool's CSV export.

Three steps, none of which overwrites unseen:

1. ``preview_import``: the file is read (UTF-8 with or without BOM, or Excel's Windows-1252; comma,
   semicolon or tab separated) and every row checked; a file with any error is refused whole, each
   error named by line and column. A clean file is kept server-side (``ImportPreview``) under a
   token, so it is not uploaded again.
2. ``load_plan``: what each row will do, against the records as they are now — a new response, the
   replacement of an earlier import, or a CONFLICT with the answer the group gave in the portal.
3. ``confirm_import``: writes the plan in one transaction, audited. A portal answer is replaced only
   for the groups the secretariat chose on the preview; the others keep theirs. If anything
   changed since the preview was shown, nothing is written and the preview is shown again.

Only an open survey takes imports: a closed one's report may be published (reopen it first, with
a reason), and one not yet opened may still change its questions.

Rows match a local group by name, or by the set of areas it covers, among the groups in force in
the survey's year, so a year's own groupings import (Kungsholmen/Norrmalm/Östermalm in 2014).

Split by step; import from here (``from followup.importing import preview_import``).
"""

from followup.importing.applying import (  # noqa: F401
    ImportResult,
    confirm_import,
    import_responses,
)
from followup.importing.errors import (  # noqa: F401
    ImportFailed,
    ImportRefused,
    PlanChanged,
    RowError,
)
from followup.importing.preview import (  # noqa: F401
    Action,
    ImportPlan,
    PlannedRow,
    load_plan,
    plan,
    preview_import,
)
from followup.importing.reading import (  # noqa: F401
    CONTROL_CHARACTERS,
    SEPARATORS,
    UTF8_READ_AS_1252,
    VALUE_SEPARATOR,
    decode,
    detect_separator,
)
from followup.importing.validation import (  # noqa: F401
    FIXED_COLUMNS,
    MAX_ERRORS,
    MAX_TEXT,
    ParsedRow,
    parse,
)
