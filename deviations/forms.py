"""Forms validate, never act. Every free-text field goes through the de-identification check."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Area, Principal, ServiceType, Unit
from bus_portal.roles import Role
from bus_portal.submissions import TOKEN_FIELD, OneTimeTokenForm
from bus_portal.widgets import Checklist
from deviations import deidentify
from deviations.models import (
    CATEGORY_FIELDS,
    CLOSED_STATUSES,
    EARLIEST_EVENT_DATE,
    REPORT_FIELDS,
    Category,
    Deviation,
    Status,
)

# Free text about the event: identity numbers are refused, names and dates of birth warned about.
CHECKED_FIELDS = (
    "description",
    "consequence",
    "tried_locally",
    "proposed_improvement",
    "principled_reason",
)
# The longest free text a form takes (a few pages); longer is a paste gone wrong.
MAX_TEXT = 10_000
# At most this many places are listed in one refusal.
MAX_PLACES = 5

PLACEHOLDERS = {
    "personnummer": _("[personal identity number]"),
    "samordningsnummer": _("[coordination number]"),
}


def identity_number_errors(value: str, hits: list[deidentify.IdentityNumber]) -> list[str]:
    """The refusal: what was found and where (line, character and the words around it, the
    number itself replaced), then what to do. Never the number."""
    placeholders = {kind: str(text) for kind, text in PLACEHOLDERS.items()}
    messages = []
    for hit in hits[:MAX_PLACES]:
        values = {
            "line": hit.line,
            "column": hit.column,
            "excerpt": deidentify.excerpt(value, hit, hits, placeholders),
        }
        if hit.kind == "samordningsnummer":
            message = _(
                "The text contains a coordination number (samordningsnummer) on line "
                "%(line)s, at character %(column)s: “%(excerpt)s”."
            )
        else:
            message = _(
                "The text contains a personal identity number (personnummer) on line "
                "%(line)s, at character %(column)s: “%(excerpt)s”."
            )
        messages.append(str(message) % values)
    if len(hits) > MAX_PLACES:
        messages.append(
            str(_("… and %(count)s more identity numbers.")) % {"count": len(hits) - MAX_PLACES}
        )
    messages.append(
        str(
            _(
                "Remove it and describe the child in general terms, for example “a pupil in "
                "year 6”. Nothing has been saved; the rest of your text is kept below."
            )
        )
    )
    return messages


def refuse_identity_numbers(value: str) -> str:
    """Raise a form error if the text holds a valid personnummer or samordningsnummer."""
    hits = deidentify.find_identity_numbers(value)
    if hits:
        raise ValidationError(
            [
                ValidationError(message, code="identity_number")
                for message in identity_number_errors(value, hits)
            ]
        )
    return value


class DeidentifiedTextField(forms.CharField):
    """Free text that may not hold an identity number; at most ``MAX_TEXT`` characters."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *args: Any, max_length: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, max_length=max_length or MAX_TEXT, **kwargs)

    def clean(self, value: Any) -> str:
        return refuse_identity_numbers(super().clean(value))


class IdChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses ids no database column holds (a tampered
    form sends 99999999999999999999), rather than failing in the database."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            text = str(pk)
            if not text.isdigit() or len(text) > 18:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super()._check_values(value)


class DeviationForm(OneTimeTokenForm, forms.ModelForm):
    """The report. Saving as a draft needs little; sending needs the guard's fields (the model).

    A new report carries a one-time token (a repeated send creates nothing); an edit carries the
    report's ``lock_version`` and, signed, the state it was opened with (``base``), so a save over
    someone else's is refused with what they changed (``deviations.edit_state``).
    """

    lock_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )
    base = forms.CharField(widget=forms.HiddenInput, required=False)
    counterpart_services = forms.MultipleChoiceField(
        label=_("Counterpart services"),
        choices=ServiceType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The other side's services involved, e.g. BUP when a school reports."),
    )
    confirm_no_identification = forms.BooleanField(
        label=_("I confirm that no child can be identified from this report."),
        required=True,
        help_text=_(
            "No names, identity numbers, dates of birth, addresses or unusual details that "
            "point to a particular child or family."
        ),
    )
    # The warnings the reporter has already seen (a fingerprint, not the text itself).
    warnings_seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    # The unit first, then whom the report is about, then the rest in REPORT_FIELDS' order.
    field_order = ["reporter_unit", "counterpart_principals"]

    class Meta:
        model = Deviation
        fields = [*REPORT_FIELDS, "counterpart_principals"]
        field_classes = {
            **dict.fromkeys(CHECKED_FIELDS, DeidentifiedTextField),
            "counterpart_principals": IdChoiceField,
        }
        widgets = {
            "event_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "counterpart_principals": Checklist,
            **{name: forms.Textarea(attrs={"rows": 4}) for name in CHECKED_FIELDS},
        }
        help_texts = {
            "description": _("What happened between the principals? Do not describe the child."),
            "consequence": _("In general terms, e.g. “the pupil waited four months for support”."),
            "counterpart_principals": _("Tick each principal the problem concerned."),
            "contact_person": _("Your name and how to reach you (staff, not the family)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.warnings: list[tuple[str, str]] = []
        if self.instance.pk:
            # An edit creates nothing; it is guarded by ``lock_version`` instead.
            del self.fields[TOKEN_FIELD]
        else:
            del self.fields["lock_version"]
            del self.fields["base"]
        units = Unit.objects.filter(pk__in=user.unit_ids).select_related("principal")
        self.fields["reporter_unit"].queryset = units
        self.fields["reporter_unit"].empty_label = None
        if self.instance.status == Status.RETURNED:
            # Sent back to the same step: the unit is what it was when it was sent, and the
            # judgement that it is principled is the manager's or the local group's.
            for name in ("reporter_unit", "is_principled", "principled_reason"):
                self.fields[name].disabled = True
        self.fields["area"].queryset = Area.objects.valid_on().order_by("name")
        self.fields["counterpart_principals"].queryset = Principal.objects.order_by("name")
        self.fields["counterpart_principals"].required = False
        categories = Category.objects.filter(is_active=True)
        if self.instance.pk and self.instance.category_id:
            categories = Category.objects.filter(is_active=True) | Category.objects.filter(
                pk=self.instance.category_id
            )
        self.fields["category"].queryset = categories.order_by("position", "name")
        if self.instance.pk:
            self.fields["counterpart_services"].initial = list(
                self.instance.counterpart_services.values_list("service_type", flat=True)
            )

    def clean_event_date(self):
        date = self.cleaned_data.get("event_date")
        if date is None:
            return date
        if date > timezone.localdate():
            raise ValidationError(
                _("The date of the event cannot be in the future."), code="future"
            )
        if date < EARLIEST_EVENT_DATE:
            raise ValidationError(
                _("The date of the event cannot be before %(year)s.")
                % {"year": EARLIEST_EVENT_DATE.year},
                code="too_early",
            )
        return date

    def clean_contact_person(self):
        # Staff names are expected here, so no name warning, but identity numbers are still refused.
        return refuse_identity_numbers(self.cleaned_data.get("contact_person", ""))

    def clean(self):
        cleaned = super().clean()
        self.warnings = []
        for name in CHECKED_FIELDS:
            text = cleaned.get(name) or ""
            label = str(self.fields[name].label)
            for word in deidentify.likely_names(text):
                self.warnings.append(
                    (label, _("“%(word)s” may be a person's name.") % {"word": word})
                )
            for phrase in deidentify.likely_birth_dates(text):
                self.warnings.append(
                    (label, _("“%(phrase)s” may be a date of birth.") % {"phrase": phrase})
                )
        fingerprint = self.warnings_fingerprint()
        if self.warnings and cleaned.get("warnings_seen") != fingerprint:
            # Shown once; saving again with the same text proceeds (a warning, not a block).
            self.data = self.data.copy()
            self.data["warnings_seen"] = fingerprint
            raise ValidationError(
                _(
                    "Check the possible names and dates of birth listed above. Remove them if "
                    "they can identify a child, then save again; if they cannot, just save again."
                ),
                code="warnings",
            )
        return cleaned

    def warnings_fingerprint(self) -> str:
        joined = "\n".join(f"{label}:{text}" for label, text in self.warnings)
        return hashlib.sha256(joined.encode()).hexdigest()[:16] if joined else ""


class StepForm(OneTimeTokenForm):
    """The confirmation of one step, with the texts the step brings: a question when the report
    is returned to the reporter, the outcome when it is closed, the reason when the manager or
    the local group judges it principled and sends it on to BUSSAM."""

    comment = DeidentifiedTextField(
        label=_("Comment"),
        required=False,
        help_text=_("What was decided and why. No personal data about a child."),
    )

    def __init__(self, *args: Any, to_status: str, deviation: Deviation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if to_status == Status.RETURNED:
            comment = self.fields["comment"]
            comment.required = True
            comment.label = _("Question to the reporter")
            comment.help_text = _(
                "What the reporter is to complete or explain. The report comes back to this "
                "step when they send it again. No personal data about a child."
            )
        if to_status in CLOSED_STATUSES:
            self.fields["outcome"] = DeidentifiedTextField(
                label=_("Outcome"),
                initial=deviation.response,
                help_text=_(
                    "What came of the report. The reporter receives this on the report's page "
                    "and by e-mail."
                ),
            )
        if to_status == Status.WITH_BUSSAM and not deviation.is_returned:
            # The manager or the local group judges; a report sent back after a question was
            # judged already.
            self.fields["principled_reason"] = DeidentifiedTextField(
                label=_("Why it is of principled nature"),
                initial=deviation.principled_reason,
                help_text=_(
                    "By sending the report on you judge it to be of principled nature; BUSSAM "
                    "receives only such reports. Say why."
                ),
            )


class CommentForm(OneTimeTokenForm):
    text = DeidentifiedTextField(label=_("Comment"))


class RedactForm(OneTimeTokenForm):
    phrase = forms.CharField(
        label=_("Name or other text to remove"),
        required=False,
        min_length=2,
        max_length=200,
        help_text=_(
            "As it is written; upper and lower case do not matter, and a genitive s is removed "
            "with it. Leave empty to remove only the identity numbers found."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that what is removed cannot be restored."), required=True
    )


class ReviewForm(forms.ModelForm):
    """The secretariat's judgement: regional action and the response to the reporter.

    Guarded like the report form: two people of the secretariat writing the response at once
    do not replace each other's text unseen (``lock_version`` and the signed ``base``).
    """

    lock_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    response = DeidentifiedTextField(
        label=_("Response"),
        required=False,
        help_text=_("What came of the report; the reporter is told this when it is closed."),
    )

    regional_action_url = forms.URLField(
        label=_("Link to the regional action"),
        required=False,
        assume_scheme="https",
        max_length=200,
    )

    class Meta:
        model = Deviation
        fields = ["regional_action", "regional_action_url", "response"]

    def clean_regional_action_url(self) -> str:
        return refuse_identity_numbers(self.cleaned_data.get("regional_action_url") or "")


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Handled by"), queryset=None, required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(memberships__role=Role.SECRETARIAT)
            .distinct()
            .order_by("last_name", "first_name")
        )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = CATEGORY_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].validators.append(MaxLengthValidator(MAX_TEXT))


# The response form shares the report's page with the comment form: its own field names and ids.
RESPONSE_PREFIX = "response"


class CounterpartResponseForm(OneTimeTokenForm):
    """A counterpart's response, written once by one of the contacts asked for it; the
    principal is chosen only by someone asked for more than one principal of the report."""

    principal = forms.TypedChoiceField(label=_("Respond for"), coerce=int)
    text = DeidentifiedTextField(
        label=_("Response"),
        help_text=_(
            "Your principal's view of the collaboration problem and what it will do. The "
            "reporter and whoever handles the report read it. No personal data about a child."
        ),
    )

    def __init__(self, *args: Any, principals: list[Principal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices are the principals the user is asked for: nothing else is looked up.
        self.principals = {p.pk: p for p in principals}
        field = self.fields["principal"]
        field.choices = [(p.pk, p.name) for p in principals]
        if len(principals) == 1:
            field.initial = principals[0].pk
            field.widget = forms.HiddenInput()

    def clean_principal(self) -> Principal:
        return self.principals[self.cleaned_data["principal"]]


class CorrectResponseForm(forms.Form):
    """The author's correction of a response; the earlier text is kept and shown."""

    text = DeidentifiedTextField(label=_("Response"))
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
