"""Deviations at scale for the benchmark (see bus_portal/scale.py): bulk inserts only."""

from __future__ import annotations

import datetime

from django.utils import timezone

from agreements.models import Principal, ServiceType
from bus_portal.scale import BATCH, ScaleContext
from deviations.models import (
    CLOSED_STATUSES,
    STARTING_CATEGORIES,
    Category,
    CounterpartService,
    Deviation,
    DeviationStep,
    Status,
    steps_to,
)

_FINAL = [
    Status.WITH_MANAGER,
    Status.RESOLVED_LOCALLY,
    Status.WITH_LOCAL_GROUP,
    Status.RESOLVED_IN_GROUP,
    Status.WITH_BUSSAM,
    Status.CLOSED,
]
_SERVICES = [
    ServiceType.BUP,
    ServiceType.HABILITATION,
    ServiceType.COMPULSORY_SCHOOL,
    ServiceType.SOCIAL_SERVICES,
    ServiceType.BUMM,
    ServiceType.STUDENT_HEALTH,
]


def seed(ctx: ScaleContext) -> dict[str, int]:
    for name, position in STARTING_CATEGORIES:
        Category.objects.get_or_create(name=name, defaults={"position": position})
    categories = list(Category.objects.all())
    regions = list(Principal.objects.filter(kind=Principal.Kind.REGION))
    staff = list(ctx.users)
    units = [u for u in ctx.units if u.area_id]
    total = ctx.sizes["deviations"]
    rng = ctx.rng
    created = 0
    while created < total:
        batch = []
        plans = []
        for _ in range(min(BATCH, total - created)):
            unit = rng.choice(units)
            final = rng.choice(_FINAL)
            event = ctx.random_date()
            start = timezone.make_aware(datetime.datetime.combine(event, datetime.time(9)))
            path = steps_to(final)
            stamps = [
                start + datetime.timedelta(days=3 + 6 * i + rng.randrange(5))
                for i in range(len(path))
            ]
            deviation = Deviation(
                reporter=rng.choice(staff),
                reporter_unit=unit,
                event_date=event,
                area_id=unit.area_id,
                category=rng.choice(categories),
                description="Remissen från skolan avvisades utan att annan huvudman kontaktades.",
                consequence="Barnet fick vänta på insatser i flera månader.",
                tried_locally="Kontakt mellan enhetscheferna.",
                proposed_improvement="Gemensam rutin för remisser.",
                is_principled=final in (Status.WITH_BUSSAM, Status.CLOSED),
                contact_person="Enhetschef",
                confirmed_no_identification_at=start,
                response="Frågan är hanterad." if final in CLOSED_STATUSES else "",
                created_at=start,
            )
            for status, at in zip(path, stamps, strict=True):
                deviation.set_status(status, at)
            batch.append(deviation)
            plans.append((path, stamps))
        Deviation.objects.bulk_create(batch)
        steps, services, counterparts = [], [], []
        through = Deviation.counterpart_principals.through
        for deviation, (path, stamps) in zip(batch, plans, strict=True):
            previous = Status.DRAFT
            for status, at in zip(path, stamps, strict=True):
                steps.append(
                    DeviationStep(
                        deviation=deviation,
                        from_status=previous,
                        to_status=status,
                        at=at,
                        actor=deviation.reporter,
                    )
                )
                previous = status
            services.append(
                CounterpartService(deviation=deviation, service_type=rng.choice(_SERVICES))
            )
            if regions:
                counterparts.append(
                    through(deviation_id=deviation.pk, principal_id=rng.choice(regions).pk)
                )
        DeviationStep.objects.bulk_create(steps, batch_size=BATCH)
        CounterpartService.objects.bulk_create(services, batch_size=BATCH)
        through.objects.bulk_create(counterparts, batch_size=BATCH)
        created += len(batch)
    return {"deviations": created}
