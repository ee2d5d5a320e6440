"""Version snapshots of a SIP store codes, not the labels of the language of the moment.

Before, ``Plan.snapshot()`` keyed each version's content by the translated label ("Gemensam fråga
och behov", "Joint question and need", "Insats 1", "Measure 1") and put translated words in some
values ("Ja", "Pågår: …", "Vera (Barnet eller familjen)"), so a diff between two versions saved in
different languages showed false changes. Each English or Swedish label becomes its code; those
values become what ``Plan.snapshot()`` now stores. The texts are written out here rather than
imported, so the migration keeps meaning what it meant when the app changes.

``to_codes`` is also used by the audit migration (0005) for the changes of "SIP edited" rows.
"""

import re

from django.db import migrations

# Code -> the label as it was stored (English msgid, Swedish msgstr from sip/locale/sv).
FIELDS = {
    "question": ("Joint question and need", "Gemensam fråga och behov"),
    "goals_short": ("Short-term goals", "Mål på kort sikt"),
    "goals_long": ("Long-term goals", "Mål på lång sikt"),
    "child_voice": ("The child's own voice", "Barnets egen röst"),
    "family_and_others": ("Family and other actors", "Familj och andra aktörer"),
    "overall_principal": ("Principal with overall responsibility", "Huvudman med huvudansvar"),
    "initiator": ("Initiator", "Initiativtagare"),
    "chair": ("Chair", "Ordförande"),
    "secretary": ("Secretary", "Sekreterare"),
    "next_follow_up_on": ("Next follow-up", "Nästa uppföljning"),
    "no_measures_by_others": ("No measures by others", "Inga insatser av andra"),
    "follow_up_summary": ("Summary of the follow-up", "Sammanfattning av uppföljningen"),
}
# Numbered rows: "Measure 2" / "Insats 2" -> "measure:2". "Evaluation of measure" had no Swedish
# translation, so it was stored in English in both languages.
ROWS = {
    "measure": ("Measure", "Insats"),
    "participant": ("Participant", "Deltagare"),
    "evaluation": ("Evaluation of measure",),
}
YES = ("Yes", "Ja")
OUTCOMES = {
    "done": ("Done", "Genomförd"),
    "ongoing": ("Ongoing", "Pågår"),
    "not_started": ("Not started", "Inte påbörjad"),
    "changed": ("Changed", "Ändrad"),
}
# A participant without a unit was summarised with the label of its kind.
KINDS = {
    "family": ("Child or family", "Barnet eller familjen"),
    "other": ("Other actor", "Annan aktör"),
}

_KEYS = {label: code for code, labels in FIELDS.items() for label in labels}
_ROW_KEYS = {label: row for row, labels in ROWS.items() for label in labels}
_NUMBERED = re.compile(r"^(?P<label>.+) (?P<number>\d+)$")


def key_to_code(key):
    if key in _KEYS:
        return _KEYS[key]
    match = _NUMBERED.match(key)
    if match and match["label"] in _ROW_KEYS:
        return f"{_ROW_KEYS[match['label']]}:{match['number']}"
    return key  # already a code, or a key nobody defined


def value_to_code(code, value):
    if not isinstance(value, str):
        return value
    if code == "no_measures_by_others":
        return "yes" if value in YES else value
    if code.startswith("evaluation:"):
        for outcome, labels in OUTCOMES.items():
            for label in labels:
                if value == label or value.startswith(f"{label}: "):
                    return {"outcome": outcome, "comment": value[len(label) + 2 :]}
    if code.startswith("participant:"):
        for kind, labels in KINDS.items():
            for label in labels:
                if value.endswith(f", {label})"):
                    name, _sep, role = value[: -len(f", {label})")].partition(" (")
                    return {"name": name, "role": role, "kind": kind}
                if value.endswith(f" ({label})"):
                    return {"name": value[: -len(f" ({label})")], "role": "", "kind": kind}
    return value


def to_codes(content):
    """The content (or a {key: [old, new]} change record) with codes as keys and in values."""
    converted = {}
    for key, value in content.items():
        code = key_to_code(key)
        if isinstance(value, list):
            converted[code] = [value_to_code(code, item) for item in value]
        else:
            converted[code] = value_to_code(code, value)
    return converted


def forwards(apps, schema_editor):
    PlanVersion = apps.get_model("sip", "PlanVersion")
    for version in PlanVersion.objects.only("id", "content").iterator(chunk_size=1000):
        content = to_codes(version.content or {})
        if content != version.content:
            PlanVersion.objects.filter(pk=version.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("sip", "0003_plan_owner_newest"),
    ]

    operations = [
        # Reversing keeps the codes: they cannot tell which language a version was saved in.
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
