"""bs_field writes the same markup as crispy-bootstrap5's as_crispy_field (issue 7: speed only)."""

import re

import pytest
from django import forms
from django.template import Context, Template

from bus_portal.widgets import FastSelect


class SampleForm(forms.Form):
    name = forms.CharField(label="Namn <b>", help_text="Hjälp", max_length=10)
    kind = forms.ChoiceField(label="Typ", choices=[("a", "A & B"), ("b", "C")], required=False)
    grouped = forms.ChoiceField(choices=[("Grupp", [("1", "x")]), ("2", "y")])
    fast = forms.ChoiceField(
        choices=[("", "---"), ("1", "Ett & två"), ("2", "Två")], widget=FastSelect
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    flag = forms.BooleanField(label="Flagga", required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    many = forms.MultipleChoiceField(
        choices=[("a", "A")], widget=forms.CheckboxSelectMultiple, required=False
    )


def _normalise(html: str) -> str:
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html).strip()


def _render(source: str, bound) -> str:
    return _normalise(Template(source).render(Context({"field": bound})))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": "", "day": "x", "text": "a<b", "flag": "on", "kind": "b"},
        {"name": 'Q"', "day": "2026-01-01", "grouped": "1", "many": ["a"], "fast": "2"},
    ],
)
def test_bs_field_matches_crispy(data):
    for name in SampleForm.base_fields:
        # A fresh form each time: crispy adds its classes to the widget it renders.
        crispy_form, own_form = SampleForm(data=data), SampleForm(data=data)
        if data is not None:
            crispy_form.is_valid(), own_form.is_valid()
        expected = _render(
            "{% load crispy_forms_tags %}{{ field|as_crispy_field }}", crispy_form[name]
        )
        actual = _render("{% load fields %}{{ field|bs_field }}", own_form[name])
        assert actual == expected, name


@pytest.mark.parametrize("value", [None, "", "1", "2", "9"])
def test_fast_select_writes_what_djangos_select_writes(value):
    choices = [("", "---"), ("Grupp <1>", [("1", "Ett & två")]), ("2", "Två"), ("2", "Dubblett")]
    attrs = {"class": "form-select", "id": "id_x", "required": True}
    expected = forms.Select(choices=choices).render("x", value, attrs=attrs)
    assert _normalise(FastSelect(choices=choices).render("x", value, attrs=attrs)) == _normalise(
        expected
    )


class FormWithErrors(forms.Form):
    name = forms.CharField(label="Namn")
    note = forms.CharField(widget=forms.Textarea, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    many = forms.MultipleChoiceField(
        choices=[("a", "A")], widget=forms.CheckboxSelectMultiple, required=False
    )

    def clean(self):
        raise forms.ValidationError(["Fel ett", "Fel <två>"])


@pytest.mark.parametrize("data", [None, {"name": "x", "hidden": "1"}])
def test_bs_form_matches_crispy(data):
    crispy_form, own_form = FormWithErrors(data=data), FormWithErrors(data=data)
    if data is not None:
        crispy_form.is_valid(), own_form.is_valid()
    expected = _normalise(
        Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
            Context({"form": crispy_form})
        )
    )
    actual = _normalise(
        Template("{% load fields %}{{ form|bs_form }}").render(Context({"form": own_form}))
    )
    assert actual == expected
