"""factory_boy factories for agreements, bodies and meetings (built on the seeded directory)."""

from __future__ import annotations

import datetime

import factory

from agreements.models import (
    Agreement,
    Area,
    Assignment,
    Body,
    BodyMember,
    LocalGroup,
    Meeting,
    Party,
    Principal,
    Revision,
    RevisionSection,
    Signatory,
    Unit,
)


def region() -> Principal:
    return Principal.objects.get(name="Region Stockholm")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    kind = Area.Kind.MUNICIPALITY


class PrincipalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principal

    name = factory.Sequence(lambda n: f"Testkommun {n} kommun")
    kind = Principal.Kind.MUNICIPALITY


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    principal = factory.SubFactory(PrincipalFactory)
    name = factory.Sequence(lambda n: f"Verksamhet {n}")
    service_type = "social_services"


class LocalGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalGroup

    name = factory.Sequence(lambda n: f"Testgrupp {n}")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    kind = Agreement.Kind.LOCAL
    title = factory.Sequence(lambda n: f"Lokal överenskommelse {n}")
    local_group = factory.SubFactory(LocalGroupFactory)


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revision

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"Revision {o.number}")
    valid_from = datetime.date(2020, 1, 1)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RevisionSection

    revision = factory.SubFactory(RevisionFactory)
    key = "purpose"
    heading = "Syfte"
    text = "Att samverka."


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    revision = factory.SubFactory(RevisionFactory)
    principal = factory.SubFactory(PrincipalFactory)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    party = factory.SubFactory(PartyFactory)
    name = factory.Sequence(lambda n: f"Undertecknare {n}")
    title = "Förvaltningschef"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Organ {n}")
    kind = Body.Kind.STEERING


class BodyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMember

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Ledamot {n}")
    unit = factory.SubFactory(UnitFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    held_on = datetime.date(2025, 3, 1)
    place = "Kommunhuset"
    host_principal = factory.LazyFunction(region)
    minutes = "Anteckningar."


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    meeting = factory.SubFactory(MeetingFactory)
    body = factory.SelfAttribute("meeting.body")
    title = factory.Sequence(lambda n: f"Uppdrag {n}")


def signed_agreement(*, group=None, valid_to=None, review_date=None, signed=True) -> Agreement:
    """A local agreement with one revision, two parties and their signatories."""
    agreement = AgreementFactory(**({"local_group": group} if group else {}))
    revision = RevisionFactory(
        agreement=agreement, number=1, valid_to=valid_to, review_date=review_date
    )
    for principal in [PrincipalFactory(), region()]:
        party = PartyFactory(revision=revision, principal=principal)
        SignatoryFactory(party=party, signed_on=datetime.date(2020, 1, 1) if signed else None)
    return agreement
