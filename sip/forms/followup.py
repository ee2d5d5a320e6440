"""What follows an agreed plan: the follow-up with each measure's evaluation, starting a
revision, and closing (a plan or a forum case)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bus_portal.submissions import OneTimeTokenForm
from sip.forms.fields import DateInput
from sip.models import MeasureEvaluation, Plan


class EvaluationForm(forms.Form):
    # Nothing is chosen until the user chooses: an untouched form must not mark measures done.
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Choose an outcome"))] + MeasureEvaluation.Outcome.choices,
        error_messages={"required": _("Choose an outcome for this measure.")},
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpForm(OneTimeTokenForm):
    meeting_on = forms.DateField(label=_("Date of the follow-up meeting"), widget=DateInput())
    summary = forms.CharField(
        label=_("Summary of the follow-up"), widget=forms.Textarea(attrs={"rows": 3})
    )
    next_follow_up_on = forms.DateField(
        label=_("Next follow-up"), required=False, widget=DateInput()
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        # One evaluation per measure, bound to the same posted data under its own prefix.
        data = self.data if self.is_bound else None
        self.measure_forms = [
            (m, EvaluationForm(data, prefix=f"m{m.pk}")) for m in plan.measures.all()
        ]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([valid] + [f.is_valid() for _m, f in self.measure_forms])

    def clean(self):
        cleaned = super().clean()
        unevaluated = [
            _("measure %(n)s (%(description)s)") % {"n": n, "description": m.description[:60]}
            for n, (m, f) in enumerate(self.measure_forms, start=1)
            if not f.is_valid() and "outcome" in f.errors
        ]
        if unevaluated:
            self.add_error(
                None,
                _("Choose an outcome for every measure. Not evaluated: %(measures)s.")
                % {"measures": "; ".join(str(u) for u in unevaluated)},
            )
        return cleaned

    def evaluations(self) -> dict[int, tuple[str, str]]:
        return {
            m.pk: (f.cleaned_data["outcome"], f.cleaned_data["comment"])
            for m, f in self.measure_forms
        }


class ReviseForm(forms.Form):
    """Confirms starting a revision; there is nothing to fill in."""


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
