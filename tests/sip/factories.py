"""factory_boy factories for sip. Children are fictional with Luhn-valid test numbers."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from stdnum import luhn

from agreements.models import LocalGroup, Principal, Unit
from sip import identity
from sip.models import Child, Consent, ForumCase, Guardian, Measure, Plan, PlanParticipant


def taby_social() -> Unit:
    return Unit.objects.get(principal__name="Täby kommun", name="Socialtjänst, barn och unga")


def taby_bup() -> Unit:
    return Unit.objects.get(principal__name="Region Stockholm", name="BUP Täby öppenvård")


def taby_group() -> LocalGroup:
    return LocalGroup.objects.get(name="Täby")


def test_number(n: int) -> str:
    """The n-th of a series of Luhn-valid identity numbers (one child per number), all born in
    2013 with serials 99x, which the demo county does not use."""
    birth = datetime.date(2013, 1, 1) + datetime.timedelta(days=n % 365)
    short = f"{birth:%y%m%d}99{n // 365 % 10}"
    return f"{birth:%Y%m%d}99{n // 365 % 10}{luhn.calc_check_digit(short)}"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    first_name = "Tindra"
    last_name = factory.Sequence(lambda n: f"Testsson{n}")
    personal_number = factory.Sequence(test_number)
    birth_date = factory.LazyAttribute(
        lambda child: (
            identity.parse(child.personal_number).birth_date if child.personal_number else None
        )
    )


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    child = factory.SubFactory(ChildFactory)
    position = 1
    name = "Vera Testsson"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    child = factory.SubFactory(ChildFactory)
    local_group = factory.LazyFunction(taby_group)
    owner_unit = factory.LazyFunction(taby_social)
    created_by = factory.LazyFunction(
        lambda: __import__("tests.conftest", fromlist=["demo_user"]).demo_user("officer")
    )
    need_noticed_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=3)
    )
    question = "Behov av samordnat stöd."


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanParticipant

    plan = factory.SubFactory(PlanFactory)
    kind = PlanParticipant.Kind.UNIT
    unit = factory.LazyFunction(taby_bup)
    name = "Jonas Vikander"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    description = "Samtalsstöd"
    principal = factory.LazyFunction(lambda: Principal.objects.get(name="Region Stockholm"))


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    person = Consent.Person.GUARDIAN_1
    person_name = "Vera Testsson"
    given_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    form = Consent.Form.RECORDED
    recorded_by = factory.LazyFunction(
        lambda: __import__("tests.conftest", fromlist=["demo_user"]).demo_user("officer")
    )

    @factory.post_generation
    def principals(self, create, extracted, **kwargs):
        if create:
            self.principals.set(
                extracted or Principal.objects.filter(name__in=["Täby kommun", "Region Stockholm"])
            )


class ForumCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumCase

    child = factory.SubFactory(ChildFactory)
    local_group = factory.LazyFunction(taby_group)
    raising_unit = factory.LazyFunction(taby_social)
    raised_by = factory.LazyFunction(
        lambda: __import__("tests.conftest", fromlist=["demo_user"]).demo_user("chief")
    )
    need_noticed_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=2)
    )
    question = "Oenighet om ansvar."
