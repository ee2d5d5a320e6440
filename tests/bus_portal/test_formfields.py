"""Several-row choices refuse impossible ids as wrong choices, never with a server error."""

from __future__ import annotations

import pytest
from django import forms

from agreements.models import Principal
from bus_portal.formfields import ModelMultipleChoiceField

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value", ["99999999999999999999", "-99999999999999999999", "²", "abc", "1.5", "", "٣"]
)
def test_an_impossible_id_is_a_wrong_choice(value):
    field = ModelMultipleChoiceField(queryset=Principal.objects.all())
    with pytest.raises(forms.ValidationError):
        field.clean([value, "1e400"])


def test_real_ids_are_chosen():
    principals = list(Principal.objects.order_by("pk")[:2])
    field = ModelMultipleChoiceField(queryset=Principal.objects.all())
    assert list(field.clean([str(p.pk) for p in principals])) == principals
