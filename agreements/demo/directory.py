"""The demo county: the directory for all of Stockholm County, and the demo users.

Idempotent: every row is fetched or created by its natural key, so running it twice changes nothing.
All people are fictional.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from agreements.demo import directory_data as data
from agreements.models import Area, LocalGroup, Membership, Principal, ServiceType, Unit
from bus_portal.roles import Role

REGION_NAME = "Region Stockholm"
FEDERATION_NAME = "Storsthlm"

# username -> (first, last, title, principal, unit, role, local group)
DEMO_USERS: dict[str, tuple[str, str, str, str, str, str, str | None]] = {
    "officer": (
        "Sara",
        "Ekholm",
        "Socialsekreterare",
        "Täby kommun",
        "Socialtjänst, barn och unga",
        Role.CASE_OFFICER,
        None,
    ),
    "officer2": (
        "Jonas",
        "Vikander",
        "Kurator",
        REGION_NAME,
        "BUP Täby öppenvård",
        Role.CASE_OFFICER,
        None,
    ),
    "outsider": (
        "Maja",
        "Strandberg",
        "Socialsekreterare",
        "Nynäshamns kommun",
        "Socialtjänst, barn och unga",
        Role.CASE_OFFICER,
        None,
    ),
    "chief": (
        "Elin",
        "Norrby",
        "Enhetschef",
        "Täby kommun",
        "Socialtjänst, barn och unga",
        Role.UNIT_CHIEF,
        None,
    ),
    "chair": (
        "Per",
        "Almgren",
        "Verksamhetschef",
        "Täby kommun",
        "Socialtjänst, barn och unga",
        Role.STEERING_CHAIR,
        "Täby",
    ),
    "secretariat": (
        "Lina",
        "Hedqvist",
        "Utvecklingsledare",
        FEDERATION_NAME,
        "BUS-sekretariatet",
        Role.SECRETARIAT,
        None,
    ),
    "bussam": (
        "Karin",
        "Sjövall",
        "Förvaltningschef",
        REGION_NAME,
        "Hälso- och sjukvårdsförvaltningen",
        Role.BUSSAM,
        None,
    ),
    "admin": (
        "Olof",
        "Brandt",
        "Systemförvaltare",
        FEDERATION_NAME,
        "BUS-sekretariatet",
        Role.ADMIN,
        None,
    ),
}


@transaction.atomic
def seed_directory() -> None:
    stockholm = None
    for name, principal_name, code in data.MUNICIPALITIES:
        area, _ = Area.objects.get_or_create(
            name=name, valid_from=None, defaults={"kind": Area.Kind.MUNICIPALITY, "code": code}
        )
        if name == "Stockholm":
            stockholm = area
        principal, _ = Principal.objects.get_or_create(
            name=principal_name,
            defaults={"kind": Principal.Kind.MUNICIPALITY, "area": area},
        )
        units = (
            data.MUNICIPAL_UNITS
            if name != "Stockholm"
            else [
                ("Utbildningsförvaltningen, grundskola", "compulsory_school"),
                ("Utbildningsförvaltningen, elevhälsa", "student_health"),
            ]
        )
        for unit_name, service in units:
            Unit.objects.get_or_create(
                principal=principal,
                name=unit_name,
                defaults={"service_type": service, "area": area},
            )
    for name, valid_from, valid_to in data.DISTRICTS:
        area, _ = Area.objects.get_or_create(
            name=name,
            valid_from=valid_from,
            defaults={"kind": Area.Kind.DISTRICT, "valid_to": valid_to, "municipality": stockholm},
        )
        if valid_to is not None:
            continue  # merged districts keep their history but get no new units
        principal, _ = Principal.objects.get_or_create(
            name=f"{name} stadsdelsförvaltning",
            defaults={"kind": Principal.Kind.CITY_DISTRICT, "area": area},
        )
        for unit_name, service in data.DISTRICT_UNITS:
            Unit.objects.get_or_create(
                principal=principal,
                name=unit_name,
                defaults={"service_type": service, "area": area},
            )

    region, _ = Principal.objects.get_or_create(
        name=REGION_NAME, defaults={"kind": Principal.Kind.REGION}
    )
    Unit.objects.get_or_create(
        principal=region,
        name="Hälso- och sjukvårdsförvaltningen",
        defaults={"service_type": ServiceType.OTHER},
    )
    for sector in data.REGION_SECTORS:
        for template, service in data.REGION_SECTOR_UNITS:
            Unit.objects.get_or_create(
                principal=region,
                name=template.format(sector=sector),
                defaults={"service_type": service},
            )
    taby = Area.objects.get(name="Täby")
    Unit.objects.get_or_create(
        principal=region,
        name="BUP Täby öppenvård",
        defaults={"service_type": ServiceType.BUP, "area": taby},
    )
    federation, _ = Principal.objects.get_or_create(
        name=FEDERATION_NAME, defaults={"kind": Principal.Kind.FEDERATION}
    )
    Unit.objects.get_or_create(
        principal=federation, name="BUS-sekretariatet", defaults={"service_type": ServiceType.OTHER}
    )

    for group_name, area_names in data.LOCAL_GROUPS.items():
        group, created = LocalGroup.objects.get_or_create(name=group_name)
        if created:
            areas = list(Area.objects.valid_on().filter(name__in=area_names))
            group.areas.set(areas)
            group.principals.set([*Principal.objects.filter(area__in=areas), region])


@transaction.atomic
def seed_users() -> list[tuple[str, str, str]]:
    """Create the demo users; returns (username, name, role) rows for the README and console."""
    User = get_user_model()
    rows = []
    for username, (
        first,
        last,
        title,
        principal,
        unit_name,
        role,
        group_name,
    ) in DEMO_USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "title": title,
                "email": f"{username}@demo.bus-portalen.example",
                "is_demo": True,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        unit = Unit.objects.get(principal__name=principal, name=unit_name)
        group = LocalGroup.objects.get(name=group_name) if group_name else None
        Membership.objects.get_or_create(user=user, unit=unit, role=role, local_group=group)
        rows.append((username, f"{first} {last}", str(Role(role).label)))
    return rows
