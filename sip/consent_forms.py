"""Forms for recording and withdrawing a consent; ``sip/consent_views.py`` uses them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Principal
from bus_portal.formfields import ModelMultipleChoiceField
from bus_portal.submissions import OneTimeTokenForm
from sip.forms import DateInput
from sip.models import Child, Consent
from sip.models.consent import CONSENT_DOCUMENT


class ConsentForm(OneTimeTokenForm):
    person = forms.ChoiceField(label=_("Given by"), choices=Consent.Person.choices)
    person_name = forms.CharField(label=_("Name"), max_length=150)
    child_is_mature = forms.BooleanField(
        label=_("The child's age and maturity allow the child to consent alone"), required=False
    )
    principals = ModelMultipleChoiceField(
        label=_("Principals that may share information with each other"),
        queryset=Principal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    exclusions = forms.CharField(
        label=_("What must not be shared"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    form = forms.ChoiceField(label=_("Form"), choices=Consent.Form.choices)
    # The content is checked, not the name; an empty file gets the validator's message too.
    document = forms.FileField(
        label=_("Signed form"),
        required=False,
        allow_empty_file=True,
        validators=[CONSENT_DOCUMENT],
        help_text=CONSENT_DOCUMENT.help_text,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, principals: QuerySet[Principal], child: Child, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        self.fields["principals"].queryset = principals
        self.fields["given_on"].initial = timezone.localdate()
        age = child.age
        if age is not None:
            self.fields["child_is_mature"].help_text = _("The child is %(age)s years old.") % {
                "age": age
            }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A refused file is already reported on the field; only a missing one is reported here.
        written = cleaned.get("form") == Consent.Form.WRITTEN
        if written and not cleaned.get("document") and "document" not in self.errors:
            self.add_error("document", _("Attach the signed form, or choose recorded consent."))
        given, until = cleaned.get("given_on"), cleaned.get("valid_until")
        if given and given > timezone.localdate():
            self.add_error("given_on", _("The date cannot be in the future."))
        if given and until and until < given:
            self.add_error("valid_until", _("The end cannot be before the date given."))
        if cleaned.get("child_is_mature") and cleaned.get("person") != Consent.Person.CHILD:
            self.add_error("child_is_mature", _("Only the child's own consent can be marked so."))
        principals = cleaned.get("principals")
        if principals is not None and len(principals) < 2:
            self.add_error("principals", _("Choose at least two principals."))
        return cleaned


class WithdrawForm(forms.Form):
    withdrawn_by = forms.CharField(label=_("Withdrawn by"), max_length=150)
