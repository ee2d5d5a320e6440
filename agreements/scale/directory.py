"""Scale directory: municipalities, regions and units up to the scale's number of groups, and staff."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from agreements.models import Area, LocalGroup, Membership, Principal, ServiceType, Unit
from bus_portal.roles import Role
from bus_portal.scale import ScaleContext

_MUNICIPAL_SERVICES = [
    ("Socialtjänst, barn och unga", ServiceType.SOCIAL_SERVICES),
    ("Grundskola", ServiceType.COMPULSORY_SCHOOL),
    ("Elevhälsa", ServiceType.STUDENT_HEALTH),
    ("Förskola", ServiceType.PRESCHOOL),
]
_REGION_SERVICES = [
    ("BUP", ServiceType.BUP),
    ("Habilitering", ServiceType.HABILITATION),
    ("BUMM", ServiceType.BUMM),
]


def seed_directory(ctx: ScaleContext) -> dict[str, int]:
    """Top the demo county up to the scale's number of local groups, then add staff to each group."""
    existing = LocalGroup.objects.count()
    missing = max(0, ctx.sizes["groups"] - existing)
    if missing:
        offset = Area.objects.filter(name__startswith="Skalkommun").count()
        areas = Area.objects.bulk_create(
            [
                Area(name=f"Skalkommun {offset + i + 1:03d}", kind=Area.Kind.MUNICIPALITY)
                for i in range(missing)
            ]
        )
        areas = list(Area.objects.filter(name__in=[a.name for a in areas]).order_by("id"))
        Principal.objects.bulk_create(
            [
                Principal(name=f"{a.name}s kommun", kind=Principal.Kind.MUNICIPALITY, area=a)
                for a in areas
            ]
        )
        principals = {p.area_id: p for p in Principal.objects.filter(area__in=areas)}
        regions = []
        for r in range((missing // 15) + 1):
            region, _ = Principal.objects.get_or_create(
                name=f"Skalregion {offset // 15 + r + 1:02d}",
                defaults={"kind": Principal.Kind.REGION},
            )
            regions.append(region)
        Unit.objects.bulk_create(
            [
                Unit(principal=principals[a.id], name=name, service_type=service, area=a)
                for a in areas
                for name, service in _MUNICIPAL_SERVICES
            ]
            + [
                Unit(
                    principal=regions[i // 15],
                    name=f"{name} {a.name}",
                    service_type=service,
                    area=a,
                )
                for i, a in enumerate(areas)
                for name, service in _REGION_SERVICES
            ]
        )
        groups = LocalGroup.objects.bulk_create([LocalGroup(name=a.name) for a in areas])
        groups = list(LocalGroup.objects.filter(name__in=[a.name for a in areas]).order_by("id"))
        by_name = {a.name: a for a in areas}
        LocalGroup.areas.through.objects.bulk_create(
            [
                LocalGroup.areas.through(localgroup_id=g.id, area_id=by_name[g.name].id)
                for g in groups
            ]
        )
    ctx.groups = list(LocalGroup.objects.prefetch_related("areas").order_by("id"))
    ctx.units = list(Unit.objects.select_related("principal").order_by("id"))

    User = get_user_model()
    password = make_password(None)  # unusable: scale users never log in
    units_by_area: dict[int, list[Unit]] = {}
    for unit in ctx.units:
        units_by_area.setdefault(unit.area_id, []).append(unit)
    new_users, memberships = [], []
    start = User.objects.filter(username__startswith="skala").count()
    n = start
    for group in ctx.groups:
        group_units = [u for area in group.areas.all() for u in units_by_area.get(area.id, [])]
        if not group_units:
            continue
        for _ in range(ctx.sizes["users_per_group"]):
            n += 1
            unit = ctx.rng.choice(group_units)
            role = Role.UNIT_CHIEF if n % 5 == 0 else Role.CASE_OFFICER
            new_users.append(
                User(
                    username=f"skala{n:06d}",
                    first_name="Skal",
                    last_name=f"Person {n}",
                    password=password,
                )
            )
            memberships.append((unit, role))
    created = User.objects.bulk_create(new_users, batch_size=5_000)
    created = list(
        User.objects.filter(username__in=[u.username for u in created]).order_by("username")
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, unit=unit, role=role)
            for user, (unit, role) in zip(created, memberships, strict=True)
        ],
        batch_size=5_000,
    )
    ctx.users = list(User.objects.filter(username__startswith="skala").order_by("id"))
    return {"groups": len(ctx.groups), "units": len(ctx.units), "users": len(created)}
