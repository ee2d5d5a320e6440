"""Demo deviations: about 40 fictional reports over 2025–2026 so the queue and statistics have data.

Idempotent: each report is fetched or created by its (unique) description. Written straight to the
models with their historical dates (no e-mail is sent for demo history). All text is fictional.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements.models import Area, Principal, ServiceType, Unit
from deviations.counterpart_services import request_responses
from deviations.counterparts import CounterpartResponse
from deviations.models import (
    CLOSED_STATUSES,
    STARTING_CATEGORIES,
    Category,
    CounterpartService,
    Deviation,
    DeviationStep,
    Notification,
    NotificationKind,
    RegionalAction,
    Status,
    steps_to,
)

REGION = "Region Stockholm"

# The officer's own reports, one at each stage (the permission matrix and browser tests use them).
OFFICER_REPORTS = {
    Status.DRAFT: "Utkast: BUP och socialtjänsten är oeniga om vem som kallar till SIP-möte.",
    Status.WITH_MANAGER: "Remiss till BUP avvisades utan att vi fick veta varför.",
    Status.RESOLVED_LOCALLY: "Skolan delade inte information inför planeringsmötet trots samtycke.",
    Status.WITH_LOCAL_GROUP: "Habiliteringen och socialtjänsten har olika bild av vem som samordnar.",
    Status.RESOLVED_IN_GROUP: "SIP-mötet ställdes in två gånger av BUP utan ny tid.",
    Status.WITH_BUSSAM: "Återkommande oklarhet om ansvar för insatser vid skolfrånvaro, alla huvudmän.",
    Status.CLOSED: "Väntetiden till BUP-bedömning är över fyra månader i hela nordost.",
    Status.RETURNED: "BUP och skolan har olika uppfattning om vem som ansvarar för utredningen.",
}
# officer2's reports (BUP Täby) naming Täby kommun, at the local step: the municipality's unit
# chief in Täby ("chief") is asked for its response; in the first it is still to be written (the
# chief's "Att göra"), in the second it is written.
COUNTERPART_REPORTS = {
    "waiting": "Socialtjänsten kom inte till det gemensamma planeringsmötet som BUP kallade till.",
    "answered": "BUP fick inte veta att socialtjänstens insats hade avslutats.",
}
COUNTERPART_RESPONSE = (
    "Vi har gått igenom rutinen för överlämning och meddelar BUP skriftligt när en insats avslutas."
)
# Who moved officer2's reports to the local group: BUP's chief (a name, not a login).
_BUP_CHIEF = ("demo-bup-chef", "Rasmus", "Törnqvist")
# The nearest manager's question on the report returned to the officer.
_QUESTION = "Vilka kontakter har ni haft med skolans rektor? Komplettera gärna beskrivningen."

_PROBLEMS = [
    "Ansvaret för samordningen föll mellan stolarna när ärendet bytte handläggare.",
    "Remissen returnerades med hänvisning till att en annan huvudman var ansvarig.",
    "Ingen gemensam planering kom till stånd trots flera påminnelser.",
    "Informationen om insatserna nådde inte skolan i tid.",
    "Väntetiden till första bedömning blev mycket lång.",
    "SIP-mötet hölls men planen följdes inte upp av alla huvudmän.",
    "Parterna tolkade överenskommelsen olika när det gällde kostnadsansvaret.",
    "Kallelsen till individforum skickades inte till alla berörda chefer.",
]
# Other fictional reporters: staff in other areas (they do not log in).
_STAFF = [
    ("demo-rapportor-1", "Anneli", "Lundqvist", "Nacka", "Grundskola"),
    ("demo-rapportor-2", "Rikard", "Holmgren", "Huddinge", "Socialtjänst, barn och unga"),
    ("demo-rapportor-3", "Therese", "Wallin", "Norrtälje", "Elevhälsa"),
    ("demo-rapportor-4", "Mikael", "Ström", "Södertälje", "Socialtjänst, barn och unga"),
    ("demo-rapportor-5", "Camilla", "Berglöf", "Botkyrka", "Förskola"),
    ("demo-rapportor-6", "Fredrik", "Nyström", "Sollentuna", "Grundskola"),
]
# Every closing has an outcome the reporter receives.
_LOCAL_OUTCOMES = {
    Status.RESOLVED_LOCALLY: "Cheferna har kommit överens om vem som kallar till SIP-möten "
    "och följer upp det vid nästa samverkansmöte.",
    Status.RESOLVED_IN_GROUP: "Den lokala BUS-gruppen har beslutat om en gemensam rutin för "
    "kallelser som gäller från nästa månad.",
}
_COUNTERPART_SERVICES = [
    ServiceType.BUP,
    ServiceType.HABILITATION,
    ServiceType.BUMM,
    ServiceType.SOCIAL_SERVICES,
    ServiceType.COMPULSORY_SCHOOL,
]


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _create(
    *,
    description: str,
    reporter,
    unit: Unit,
    area: Area,
    category: Category,
    event_date: datetime.date,
    final: str,
    counterparts: list[Principal],
    services: list[str],
    actors: dict,
    rng: random.Random,
) -> Deviation | None:
    if Deviation.objects.filter(description=description).exists():
        return None
    principled = final in (Status.WITH_BUSSAM, Status.CLOSED) or rng.random() < 0.15
    deviation = Deviation.objects.create(
        reporter=reporter,
        reporter_unit=unit,
        area=area,
        category=category,
        event_date=event_date,
        description=description,
        consequence="Barnet fick vänta på stöd längre än nödvändigt.",
        tried_locally="Kontakt mellan handläggare och chefer på båda sidor.",
        proposed_improvement="Tydligare rutin för vem som kallar och följer upp.",
        is_principled=principled,
        principled_reason="Samma mönster finns i flera kommuner och gäller tolkningen av "
        "överenskommelsen."
        if principled
        else "",
        contact_person=f"{reporter.get_full_name()}, {unit.name}",
        confirmed_no_identification_at=_aware(event_date, 9),
        created_at=_aware(event_date, 9),
        status_changed_at=_aware(event_date, 9),
    )
    deviation.counterpart_principals.set(counterparts)
    CounterpartService.objects.bulk_create(
        [CounterpartService(deviation=deviation, service_type=s) for s in services]
    )
    now = timezone.now()
    at = _aware(event_date + datetime.timedelta(days=rng.randint(1, 6)), 11)
    current = Status.DRAFT
    for to_status in steps_to(final):
        if at > now:
            at = now - datetime.timedelta(hours=1)
        DeviationStep.objects.create(
            deviation=deviation,
            from_status=current,
            to_status=to_status,
            at=at,
            actor=actors[current] or reporter,
            comment=""
            if to_status == Status.WITH_MANAGER
            else _QUESTION
            if to_status == Status.RETURNED
            else "Diskuterat och beslutat.",
        )
        deviation.set_status(to_status, at)
        current = to_status
        at = at + datetime.timedelta(days=rng.randint(5, 40), hours=rng.randint(0, 5))
    if final in (Status.WITH_BUSSAM, Status.CLOSED) and rng.random() < 0.6:
        deviation.assigned_to = actors[Status.WITH_BUSSAM]
    if final == Status.CLOSED:
        deviation.response = (
            "Sekretariatet har lyft frågan i BUSSAM. En regional rutin för samordning tas fram."
        )
        deviation.regional_action = RegionalAction.ROUTINE
    elif final in CLOSED_STATUSES:
        deviation.response = _LOCAL_OUTCOMES[final]
    deviation.save()
    return deviation


@transaction.atomic
def seed() -> None:
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["officer", "officer2", "chief", "chair", "secretariat"]
        )
    }
    if len(users) < 5:
        return
    rng = random.Random(5)
    # Live-server tests flush the tables after each test, data migrations included.
    for name, position in STARTING_CATEGORIES:
        Category.objects.get_or_create(name=name, defaults={"position": position})
    categories = list(Category.objects.order_by("position", "name"))
    region = Principal.objects.get(name=REGION)
    officer_unit = Unit.objects.get(
        principal__name="Täby kommun", name="Socialtjänst, barn och unga"
    )
    taby = Area.objects.get(name="Täby", valid_from=None)
    actors = {
        Status.DRAFT: users["officer"],
        Status.WITH_MANAGER: users["chief"],
        Status.WITH_LOCAL_GROUP: users["chair"],
        Status.WITH_BUSSAM: users["secretariat"],
    }
    today = timezone.localdate()
    for index, (final, description) in enumerate(OFFICER_REPORTS.items()):
        event = today - datetime.timedelta(days=30 + 25 * index)
        if final == Status.WITH_MANAGER:
            event = today - datetime.timedelta(days=24)
        deviation = _create(
            description=description,
            reporter=users["officer"],
            unit=officer_unit,
            area=taby,
            category=categories[index % len(categories)],
            event_date=event,
            final=final,
            counterparts=[region],
            services=[ServiceType.BUP]
            if index % 2 == 0
            else [ServiceType.BUP, ServiceType.HABILITATION],
            actors=actors,
            rng=rng,
        )
        if deviation is not None and final == Status.CLOSED:
            step = deviation.steps.order_by("-at").first()
            Notification.objects.create(
                recipient=users["officer"],
                deviation=deviation,
                step=step,
                kind=NotificationKind.STEP,
                subject=f"Avvikelse {deviation.reference}: avslutad av sekretariatet",
                body=f"Avvikelsen {deviation.reference} är avslutad. Sekretariatets svar: "
                f"{deviation.response}",
                created_at=step.at,
                emailed_at=step.at,
            )

    _seed_counterpart_reports(users, categories, taby, actors, rng)

    staff = []
    for username, first, last, area_name, unit_name in _STAFF:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        area = Area.objects.get(name=area_name, valid_from=None)
        unit = Unit.objects.get(principal__area=area, name=unit_name)
        staff.append((user, unit, area))

    finals = [
        Status.WITH_MANAGER, Status.RESOLVED_LOCALLY, Status.RESOLVED_LOCALLY,
        Status.WITH_LOCAL_GROUP, Status.RESOLVED_IN_GROUP, Status.WITH_BUSSAM, Status.CLOSED,
        Status.CLOSED, Status.RESOLVED_LOCALLY,
    ]  # fmt: skip
    start = datetime.date(2025, 1, 8)
    span = (today - datetime.timedelta(days=20) - start).days
    for n in range(33):
        user, unit, area = staff[n % len(staff)]
        event = start + datetime.timedelta(days=(n * 97) % span)
        services = [_COUNTERPART_SERVICES[n % len(_COUNTERPART_SERVICES)]]
        if services[0] == unit.service_type:
            services = [ServiceType.BUP]
        counterpart = (
            region
            if services[0] in (ServiceType.BUP, ServiceType.HABILITATION, ServiceType.BUMM)
            else unit.principal
        )
        _create(
            description=f"{_PROBLEMS[n % len(_PROBLEMS)]} (demoärende {n + 1})",
            reporter=user,
            unit=unit,
            area=area,
            category=categories[(n * 5) % len(categories)],
            event_date=event,
            final=finals[n % len(finals)],
            counterparts=[counterpart],
            services=services,
            actors={**actors, Status.DRAFT: user},
            rng=rng,
        )


def _seed_counterpart_reports(users, categories, taby, actors, rng) -> None:
    """officer2's reports at the local step with Täby kommun as counterpart, asked through its
    unit chief there (the same rule as a real step, without e-mail); one already answered."""
    User = get_user_model()
    bup_chief, created = User.objects.get_or_create(
        username=_BUP_CHIEF[0], defaults={"first_name": _BUP_CHIEF[1], "last_name": _BUP_CHIEF[2]}
    )
    if created:
        bup_chief.set_unusable_password()
        bup_chief.save(update_fields=["password"])
    bup = Unit.objects.get(principal__name=REGION, name="BUP Täby öppenvård")
    kommun = Principal.objects.get(name="Täby kommun")
    sip = [c for c in categories if "SIP" in c.name] or categories
    today = timezone.localdate()
    for key, description in COUNTERPART_REPORTS.items():
        deviation = _create(
            description=description,
            reporter=users["officer2"],
            unit=bup,
            area=taby,
            category=sip[0],
            event_date=today - datetime.timedelta(days=12 if key == "waiting" else 40),
            final=Status.WITH_LOCAL_GROUP,
            counterparts=[kommun],
            services=[ServiceType.SOCIAL_SERVICES],
            actors={**actors, Status.DRAFT: users["officer2"], Status.WITH_MANAGER: bup_chief},
            rng=rng,
        )
        if deviation is None:
            continue
        requests = request_responses(
            deviation=deviation, user=None, at=deviation.status_changed_at, notify=False
        )
        if key == "answered" and requests:
            CounterpartResponse.objects.create(
                deviation=deviation,
                principal=kommun,
                author=requests[0].contact,
                text=COUNTERPART_RESPONSE,
                created_at=min(
                    deviation.status_changed_at + datetime.timedelta(days=2), timezone.now()
                ),
            )
