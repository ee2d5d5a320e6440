"""The built-in question bank: the county's 2014 questionnaire, with stable codes.

The codes are a contract: imports and the JSON report use them, and trends join years on them.
Question texts are data (the secretariat may reword them); answer labels are translated in code.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

YES_NO = ["yes", "no"]
YES_NO_DONT_KNOW = ["yes", "no", "dont_know"]
RATING = ["good", "less_good", "dont_know"]

SERVICE_CODES = [
    "social_services",
    "school",
    "student_health",
    "preschool",
    "bup",
    "habilitation",
    "bumm",
    "bvc",
    "mvc",
    "primary_care",
    "dental",
    "culture_leisure",
    "police",
    "user_org",
    "other",
]

# Labels for the answer codes the built-in questions use; other codes show their stored label.
ANSWER_LABELS = {
    "yes": _("Yes"),
    "no": _("No"),
    "being_formed": _("Being formed"),
    "in_progress": _("In progress"),
    "dont_know": _("Don't know"),
    "good": _("Works well"),
    "less_good": _("Works less well"),
    "social_services": _("Social services"),
    "school": _("School"),
    "student_health": _("Student health"),
    "preschool": _("Preschool"),
    "bup": _("BUP (child and adolescent psychiatry)"),
    "habilitation": _("Habilitation"),
    "bumm": _("BUMM (child and adolescent medicine)"),
    "bvc": _("BVC (child health care)"),
    "mvc": _("MVC (maternity care)"),
    "primary_care": _("Primary care"),
    "dental": _("Dental care"),
    "culture_leisure": _("Culture and leisure"),
    "police": _("Police"),
    "user_org": _("User organisations"),
    "other": _("Other"),
}

# (code, section, kind, text, options) in questionnaire order.
QUESTIONS_2014: list[tuple[str, str, str, str, list[str]]] = [
    (
        "group_exists",
        "structure",
        "single",
        "Finns det en lokal BUS-grupp?",
        ["yes", "being_formed", "no"],
    ),
    (
        "services",
        "structure",
        "multiple",
        "Vilka verksamheter ingår i den lokala BUS-gruppen?",
        SERVICE_CODES,
    ),
    ("services_other", "structure", "text", "Andra verksamheter som ingår (fritext)", []),
    (
        "local_agreements",
        "structure",
        "single",
        "Har gruppen tagit fram lokala överenskommelser?",
        ["yes", "in_progress", "no"],
    ),
    (
        "local_agreements_example",
        "structure",
        "text",
        "Ge gärna ett exempel på en lokal överenskommelse",
        [],
    ),
    (
        "sip_template_known",
        "sip_template",
        "single",
        "Känner ni till länets SIP-mall för barn?",
        YES_NO,
    ),
    ("sip_template_rating", "sip_template", "single", "Hur fungerar SIP-mallen?", RATING),
    ("sip_template_comment", "sip_template", "text", "Kommentarer om SIP-mallen", []),
    (
        "habrehab_known",
        "habrehab",
        "single",
        "Känner ni till länsöverenskommelsen om samordnad habilitering och rehabilitering?",
        YES_NO,
    ),
    (
        "habrehab_routines",
        "habrehab",
        "single",
        "Har ni tagit fram lokala rutiner?",
        ["yes", "in_progress", "no", "dont_know"],
    ),
    (
        "coordinator_appointed",
        "habrehab",
        "single",
        "Utser ni en samordnare för barn under 18 år?",
        YES_NO_DONT_KNOW,
    ),
    ("habrehab_comment", "habrehab", "text", "Kommentarer om habilitering och rehabilitering", []),
    (
        "deviation_system_known",
        "deviations",
        "single",
        "Känner ni till länets system för avvikelserapportering?",
        YES_NO,
    ),
    ("deviation_rating", "deviations", "single", "Hur fungerar avvikelserapporteringen?", RATING),
    ("deviation_comment", "deviations", "text", "Kommentarer om avvikelserapporteringen", []),
]


def ensure_question_bank(question_model, option_model) -> int:
    """Create the built-in questions that are missing, with their answer codes; never overwrite
    the secretariat's edits. Takes the models as arguments so that migrations can pass theirs."""
    created = 0
    for order, (code, section, kind, text, options) in enumerate(QUESTIONS_2014, start=1):
        question, was_created = question_model.objects.get_or_create(
            code=code,
            defaults={
                "section": section,
                "kind": kind,
                "text": text,
                "order": order * 10,
                "builtin": True,
            },
        )
        if was_created:
            option_model.objects.bulk_create(
                option_model(question=question, code=option, position=position)
                for position, option in enumerate(options)
            )
        created += was_created
    return created
