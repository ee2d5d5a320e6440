"""Audit rows written before purposes were codes carry the label in the language of the moment.

Each English or Swedish label of ``agreements.audit.Purpose`` becomes its code. Rows of a yearly
review ("Yearly review recorded 2025-03-01") keep their text: the review date they name is recorded
nowhere else, and a code would drop it (new rows keep it in ``changes["reviewed_on"]``).
"""

from django.db import migrations

from bus_portal.audit_migrations import rewrite_audit_purposes

# The labels exactly as they were stored (English msgid, Swedish msgstr) -> the code.
CODES = {
    "agreements.agreement.created": ("Agreement created", "Överenskommelse skapad"),
    "agreements.revision.started": ("New revision started", "Ny revision påbörjad"),
    "agreements.revision.edited": ("Revision edited", "Revision ändrad"),
    "agreements.party.added": ("Party added", "Part tillagd"),
    "agreements.signatory.added": ("Signatory added", "Undertecknare tillagd"),
    "agreements.signatory.signed": ("Signature recorded", "Underskrift registrerad"),
    "agreements.originals_step.recorded": (
        "Originals routing step recorded",
        "Steg i originalhanteringen registrerat",
    ),
    "agreements.attachment.uploaded": ("Attachment uploaded", "Bilaga uppladdad"),
    "agreements.plan_item.added": ("Plan item added", "Punkt tillagd i BUS-planen"),
    "agreements.body.saved": ("Body saved", "Organ sparat"),
    "agreements.body_member.saved": ("Body member saved", "Ledamot sparad"),
    "agreements.meeting.logged": ("Meeting logged", "Möte dokumenterat"),
    "agreements.meeting.edited": ("Meeting edited", "Möte ändrat"),
    "agreements.meeting.agenda_updated": ("Agenda updated", "Dagordningen uppdaterad"),
    "agreements.minutes.checked": ("Minutes checked", "Minnesanteckningar justerade"),
    "agreements.minutes.published": ("Minutes published", "Minnesanteckningar publicerade"),
    "agreements.minutes.addendum": (
        "Addendum added to published minutes",
        "Tillägg till publicerade minnesanteckningar",
    ),
    "agreements.assignment.updated": ("Assignment updated", "Uppdrag uppdaterat"),
    "agreements.agreement.pdf": ("Agreement PDF", "Överenskommelse som PDF"),
    "agreements.meeting.pdf": ("Minutes PDF", "Minnesanteckningar som PDF"),
    "agreements.meetings.csv": ("Meetings CSV", "Möten som CSV"),
    "agreements.attachment.downloaded": ("Attachment downloaded", "Bilaga nedladdad"),
}


def texts_to_codes(apps, schema_editor):
    rewrite_audit_purposes(
        apps,
        schema_editor,
        {text: code for code, texts in CODES.items() for text in texts},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_assignment_open_idx"),
        ("bus_portal", "0004_audit_subject_time_index"),
    ]

    operations = [
        # Reversing keeps the codes: they cannot tell which language a row was written in.
        migrations.RunPython(texts_to_codes, migrations.RunPython.noop),
    ]
