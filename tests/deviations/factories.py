"""Factories for deviation reports. ``DeviationFactory`` makes a complete draft in Täby."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from agreements.models import Area, Principal, Unit
from deviations.models import CLOSED_STATUSES, Category, CounterpartService, Deviation, Status
from tests.conftest import demo_user


def taby_unit():
    return Unit.objects.get(principal__name="Täby kommun", name="Socialtjänst, barn och unga")


class DeviationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deviation
        skip_postgeneration_save = True

    reporter = factory.LazyFunction(lambda: demo_user("officer"))
    reporter_unit = factory.LazyFunction(taby_unit)
    area = factory.LazyFunction(lambda: Area.objects.get(name="Täby", valid_from=None))
    category = factory.LazyFunction(lambda: Category.objects.order_by("position").first())
    event_date = factory.LazyFunction(lambda: datetime.date(2026, 3, 10))
    description = "Remissen till BUP returnerades utan motivering."
    consequence = "Stödet dröjde."
    contact_person = "Sara Ekholm, socialsekreterare"
    confirmed_no_identification_at = factory.LazyFunction(timezone.now)
    status = Status.DRAFT

    @factory.post_generation
    def counterparts(self, create, extracted, **kwargs):
        if not create:
            return
        principals = (
            extracted if extracted is not None else [Principal.objects.get(name="Region Stockholm")]
        )
        self.counterpart_principals.set(principals)

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if not create:
            return
        for service in extracted if extracted is not None else ["bup"]:
            CounterpartService.objects.create(deviation=self, service_type=service)


ACTOR_FOR = {
    Status.WITH_MANAGER: "officer",
    Status.RESOLVED_LOCALLY: "chief",
    Status.WITH_LOCAL_GROUP: "chief",
    Status.RESOLVED_IN_GROUP: "chair",
    Status.WITH_BUSSAM: "chair",
    Status.CLOSED: "secretariat",
}


def advance(deviation: Deviation, *statuses: str) -> Deviation:
    """Walk a Täby report up the ladder through the services, with the demo users who may act."""
    from deviations import services

    for status in statuses:
        if status == Status.WITH_BUSSAM and not deviation.is_principled:
            Deviation.objects.filter(pk=deviation.pk).update(
                is_principled=True, principled_reason="Gäller hela länet."
            )
        if status in CLOSED_STATUSES and not deviation.response:
            Deviation.objects.filter(pk=deviation.pk).update(response="Rutin tas fram.")
        deviation.refresh_from_db()
        services.move(deviation=deviation, to_status=status, user=demo_user(ACTOR_FOR[status]))
    deviation.refresh_from_db()
    return deviation


def mail_at_once(*usernames: str) -> None:
    """These demo users chose e-mail at once rather than the daily digest (the default)."""
    from bus_portal.models import User

    User.objects.filter(username__in=usernames).update(email_digest=False)
