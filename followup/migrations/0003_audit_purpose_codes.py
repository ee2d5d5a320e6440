"""Audit rows written before purposes were codes carry the label in the language of the moment.

Each English or Swedish label of ``followup.audit.Purpose`` becomes its code, and so does a county
report download ("County report (bus-lansrapport-2025.pdf)"): the year is the row's object and the
format is in the code. Rows of reminders ("Reminder to 12 groups"), imports ("Imported 40
responses") and manual figures ("Manual figures for Täby kommun") keep their text: the number or
principal they name is recorded nowhere else in the log, and a code would drop it (new rows keep
it in ``changes``).
"""

from django.db import migrations

from bus_portal.audit_migrations import rewrite_audit_purposes

# The labels exactly as they were stored (English msgid, Swedish msgstr) -> the code.
CODES = {
    "followup.response.submit": ("Submitted", "Inskickat"),
    "followup.response.draft": ("Draft saved", "Utkast sparat"),
    "followup.survey.commentary": ("Commentary", "Kommentarer"),
}

# "County report (%(file)s)" / "Länsrapport (%(file)s)", by the file's extension.
REPORT_PREFIXES = ("County report (", "Länsrapport (")
REPORT_CODES = {
    ".pdf)": "followup.report.pdf",
    ".csv)": "followup.report.csv",
    ".xlsx)": "followup.report.xlsx",
}


def _report_code(text: str) -> str | None:
    if not text.startswith(REPORT_PREFIXES):
        return None
    return next((code for end, code in REPORT_CODES.items() if text.endswith(end)), None)


def texts_to_codes(apps, schema_editor):
    AuditEvent = apps.get_model("bus_portal", "AuditEvent")
    codes = {text: code for code, texts in CODES.items() for text in texts}
    # The report's file names vary by year: map each one stored about a follow-up object.
    stored = (
        AuditEvent.objects.filter(content_type__app_label="followup")
        .order_by()
        .values_list("purpose", flat=True)
        .distinct()
    )
    for text in stored:
        code = _report_code(text)
        if code is not None:
            codes[text] = code
    rewrite_audit_purposes(apps, schema_editor, codes)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0002_question_bank"),
        ("bus_portal", "0004_audit_subject_time_index"),
    ]

    operations = [
        # Reversing keeps the codes: they cannot tell which language a row was written in.
        migrations.RunPython(texts_to_codes, migrations.RunPython.noop),
    ]
