"""Agreements at scale (see bus_portal/scale.py): the directory, agreements with bodies, meetings."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from agreements import demo_texts
from agreements.demo_helpers import NO_AGREEMENT_GROUPS
from agreements.models import (
    AgendaItem,
    Agreement,
    Area,
    Assignment,
    Attendee,
    Body,
    BodyMember,
    Decision,
    LocalGroup,
    Meeting,
    Membership,
    MinutesAddendum,
    MinutesStatus,
    Party,
    Principal,
    Revision,
    RevisionSection,
    ServiceType,
    Signatory,
    Unit,
)
from bus_portal.roles import Role
from bus_portal.scale import BATCH, ScaleContext, copy_rows

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


def seed(ctx: ScaleContext) -> dict[str, int]:
    """The directory, then an agreement with bodies for every group, then their meetings."""
    counts = seed_directory(ctx)
    counts.update(seed_agreements(ctx))
    counts.update(seed_meetings(ctx))
    return counts


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


# Agreements and bodies -----------------------------------------------------------------------

# Every this-many scale groups has no agreement yet, as some groups in the county do.
_WITHOUT_AGREEMENT_EVERY = 25
_MEMBER_SERVICES = [
    ServiceType.SOCIAL_SERVICES,
    ServiceType.COMPULSORY_SCHOOL,
    ServiceType.BUP,
    ServiceType.HABILITATION,
    ServiceType.BUMM,
]


def seed_agreements(ctx: ScaleContext) -> dict[str, int]:
    """A signed local agreement with steering group, working group and forum for each group lacking one.

    Statuses vary as in the demo (in force, review due, expiring, expired, unsigned); each body has
    one member per required service, and the first member of each body is one of the group's users,
    so scale users see their bodies' meetings and assignments on the start page.
    """
    today = ctx.today
    groups = list(
        LocalGroup.objects.filter(agreement__isnull=True)
        .exclude(name__in=NO_AGREEMENT_GROUPS)
        .prefetch_related("areas", "principals")
        .order_by("id")
    )
    groups = [g for i, g in enumerate(groups, start=1) if i % _WITHOUT_AGREEMENT_EVERY]
    if not groups:
        return {"agreements": 0, "bodies": 0, "body_members": 0}
    units_by_area: dict[int, list[Unit]] = {}
    for unit in ctx.units or Unit.objects.select_related("principal").order_by("id"):
        units_by_area.setdefault(unit.area_id, []).append(unit)
    users_by_unit: dict[int, list] = {}
    for unit_id, user_id in Membership.objects.filter(
        user__username__startswith="skala"
    ).values_list("unit_id", "user_id"):
        users_by_unit.setdefault(unit_id, []).append(user_id)

    group_units = {
        g.pk: [u for area in g.areas.all() for u in units_by_area.get(area.id, [])] for g in groups
    }
    groups = [g for g in groups if group_units[g.pk]]
    # Scale groups are created without principals; the units' principals are the group's parties.
    through = LocalGroup.principals.through
    through.objects.bulk_create(
        [
            through(localgroup_id=g.pk, principal_id=principal_id)
            for g in groups
            if not g.principals.all()
            for principal_id in sorted({u.principal_id for u in group_units[g.pk]})
        ],
        ignore_conflicts=True,
    )

    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                kind=Agreement.Kind.LOCAL,
                title=f"Lokal BUS-överenskommelse {g.name}",
                local_group=g,
            )
            for g in groups
        ],
        batch_size=BATCH,
    )
    revisions = []
    for index, agreement in enumerate(agreements):
        signed = today - datetime.timedelta(days=400 + ctx.rng.randrange(3000))
        valid_to = review = None
        kind = index % 9
        if kind == 1:
            valid_to = today - datetime.timedelta(days=40 + index % 300)
        elif kind == 4:
            valid_to = today + datetime.timedelta(days=45)
        elif kind == 6:
            review = today - datetime.timedelta(days=10)
        elif kind != 7:
            review = today + datetime.timedelta(days=100 + index % 250)
        revisions.append(
            Revision(
                agreement=agreement,
                number=1,
                title="Överenskommelse",
                adopted_on=signed,
                decision_date=signed,
                decision_body="Socialnämnden",
                diary_number=f"SN {signed.year}/{100 + index}",
                valid_from=signed,
                valid_to=valid_to if valid_to is None or valid_to >= signed else signed,
                review_date=review,
            )
        )
    revisions = Revision.objects.bulk_create(revisions, batch_size=BATCH)
    RevisionSection.objects.bulk_create(
        [
            RevisionSection(revision=r, key=key, heading=heading, text=text, position=i)
            for r in revisions
            for i, (key, heading, text) in enumerate(demo_texts.STANDARD_SECTIONS)
        ],
        batch_size=BATCH,
    )
    parties, signed_on = [], []
    for index, (agreement, revision) in enumerate(zip(agreements, revisions, strict=True)):
        principals = sorted({u.principal for u in group_units[agreement.local_group_id]}, key=str)
        for position, principal in enumerate(principals):
            parties.append(
                Party(
                    revision=revision,
                    principal=principal,
                    contact_person=demo_texts.person(index * 3 + position),
                    position=position,
                )
            )
            # Kind 7 above: the region has not signed yet, so the agreement is unsigned.
            unsigned = index % 9 == 7 and principal.kind == Principal.Kind.REGION
            signed_on.append(None if unsigned else revision.adopted_on)
    parties = Party.objects.bulk_create(parties, batch_size=BATCH)
    Signatory.objects.bulk_create(
        [
            Signatory(
                party=party,
                name=demo_texts.person(i * 5 + 1),
                title="Förvaltningschef" if i % 2 == 0 else "Verksamhetschef",
                signed_on=signed,
            )
            for i, (party, signed) in enumerate(zip(parties, signed_on, strict=True))
        ],
        batch_size=BATCH,
    )

    bodies = []
    for agreement in agreements:
        bodies += [
            Body(agreement=agreement, name="Lokal styrgrupp", kind=Body.Kind.STEERING, position=0),
            Body(agreement=agreement, name="Arbetsgrupp", kind=Body.Kind.WORKING, position=1),
            Body(
                agreement=agreement,
                name="BUS individforum",
                kind=Body.Kind.INDIVIDFORUM,
                min_meetings_per_term=0,
                position=2,
            ),
        ]
    bodies = Body.objects.bulk_create(bodies, batch_size=BATCH)
    for steering, working, forum in zip(bodies[::3], bodies[1::3], bodies[2::3], strict=True):
        working.parent, forum.parent = steering, working
    Body.objects.bulk_update(bodies, ["parent"], batch_size=BATCH)

    members = []
    n = 0
    for body in bodies:
        if body.kind == Body.Kind.INDIVIDFORUM:
            continue  # called together case by case
        units = group_units[body.agreement.local_group_id]
        for position, service in enumerate(_MEMBER_SERVICES):
            unit = next((u for u in units if u.service_type == service), None)
            if unit is None:
                continue
            n += 1
            candidates = users_by_unit.get(unit.pk, []) if position == 0 else []
            members.append(
                BodyMember(
                    body=body,
                    name=demo_texts.person(n),
                    unit=unit,
                    user_id=candidates[0] if candidates else None,
                    role=BodyMember.Role.CHAIR if position == 0 else BodyMember.Role.MEMBER,
                )
            )
    BodyMember.objects.bulk_create(members, batch_size=BATCH)
    return {"agreements": len(agreements), "bodies": len(bodies), "body_members": len(members)}


# Meetings ------------------------------------------------------------------------------------

_AGENDA = [
    "Föregående minnesanteckningar",
    "Aktuellt från huvudmännen",
    "Uppföljning av samordnade individuella planer",
    "Avvikelser sedan förra mötet",
    "Ärenden från BUS individforum",
    "Verksamhetsplan och fokusområden",
    "Kompetensutveckling",
    "Övriga frågor",
]
_DECISIONS = [
    "Minnesanteckningarna från föregående möte läggs till handlingarna.",
    "Arbetsgruppen får i uppdrag att se över rutinen för SIP.",
    "Styrgruppen ställer sig bakom förslaget till gemensam utbildningsdag.",
    "Avvikelsen lyfts till BUSSAM.",
    "Nästa möte hålls hos regionen.",
]
_ASSIGNMENTS = [
    "Ta fram en gemensam kontaktlista",
    "Sammanställa antalet SIP per huvudman",
    "Planera gemensam utbildningsdag",
    "Se över rutinen för övergång bas–specialist",
    "Följa upp avvikelsen med skolan",
]


def seed_meetings(ctx: ScaleContext) -> dict[str, int]:
    """``ctx.sizes["meetings"]`` meetings spread over the years and the groups' steering and working groups.

    Each has attendees, agenda items, decisions and some assignments; minutes older than a month
    are published (a few with an addendum), recent ones checked or still a draft, and assignments
    are done when long past due, otherwise open or in progress. Rows go in with COPY on PostgreSQL.
    """
    bodies = list(
        Body.objects.filter(
            kind__in=[Body.Kind.STEERING, Body.Kind.WORKING],
            agreement__local_group__isnull=False,
        )
        .select_related("agreement")
        .prefetch_related("members__unit")
        .order_by("id")
    )
    # Meetings are held at a member's principal: bodies need a member with a unit.
    bodies = [b for b in bodies if any(m.unit_id for m in b.members.all())]
    total = ctx.sizes["meetings"]
    if not bodies or not total:
        return {"meetings": 0}
    rng, today = ctx.rng, ctx.today
    working_of = {b.parent_id: b for b in bodies if b.kind == Body.Kind.WORKING and b.parent_id}
    start = datetime.date(ctx.first_year, 1, 1)
    span = (today - start).days

    meetings, plans = [], []
    for index, body in enumerate(bodies):
        count = total // len(bodies) + (1 if index < total % len(bodies) else 0)
        members = list(body.members.all())
        hosts = sorted({m.unit.principal_id for m in members if m.unit_id})
        step = span / max(count, 1)
        for k in range(count):
            held_on = start + datetime.timedelta(days=int(k * step + rng.random() * step * 0.8))
            held_on = min(held_on, today)
            # Chair and meeting place alternate between the principals; now and then they do not.
            host = hosts[(k + (rng.random() < 0.1)) % len(hosts)]
            chair = next(m for m in members if m.unit_id and m.unit.principal_id == host)
            age = (today - held_on).days
            status = (
                MinutesStatus.PUBLISHED
                if age > 30 and rng.random() > 0.01
                else (MinutesStatus.CHECKED if age > 14 else MinutesStatus.DRAFT)
            )
            meetings.append(
                Meeting(
                    body_id=body.pk,
                    held_on=held_on,
                    place=f"Sammanträdesrum {1 + k % 4}",
                    host_principal_id=host,
                    chair_id=chair.pk,
                    convenor_id=chair.pk,
                    minutes="Ordinarie möte enligt överenskommelsen. Huvudmännen rapporterade "
                    "läget i verksamheterna och gick igenom öppna uppdrag.",
                    minutes_status=status,
                    checker_name=members[-1].name if status != MinutesStatus.DRAFT else "",
                    checked_on=(
                        min(held_on + datetime.timedelta(days=7), today)
                        if status != MinutesStatus.DRAFT
                        else None
                    ),
                    published_at=(
                        timezone.make_aware(
                            datetime.datetime.combine(
                                held_on + datetime.timedelta(days=9), datetime.time(10)
                            )
                        )
                        if status == MinutesStatus.PUBLISHED
                        else None
                    ),
                )
            )
            plans.append((body, members))
    _insert(Meeting, meetings)

    attendees, agenda, decisions, assignments, addenda = [], [], [], [], []
    for meeting, (body, members) in zip(meetings, plans, strict=True):
        present = rng.sample(members, k=max(1, len(members) - rng.randrange(3)))
        attendees += [Attendee(meeting_id=meeting.pk, member_id=m.pk) for m in present]
        if rng.random() < 0.1:
            attendees.append(
                Attendee(
                    meeting_id=meeting.pk,
                    guest_name=demo_texts.person(meeting.pk),
                    guest_organisation="Elevhälsan",
                )
            )
        items = [_AGENDA[0], *rng.sample(_AGENDA[1:-1], k=rng.randrange(2, 4)), _AGENDA[-1]]
        agenda += [
            AgendaItem(meeting_id=meeting.pk, position=i, title=title)
            for i, title in enumerate(items, start=1)
        ]
        decisions += [
            Decision(meeting_id=meeting.pk, position=i, text=text)
            for i, text in enumerate(rng.sample(_DECISIONS, k=rng.randrange(1, 4)))
        ]
        for _ in range(rng.choice((0, 1, 1, 2))):
            due_on = meeting.held_on + datetime.timedelta(days=rng.randrange(30, 120))
            done = due_on < today - datetime.timedelta(days=30) and rng.random() > 0.03
            to = working_of.get(body.pk, body) if rng.random() < 0.3 else body
            assignments.append(
                Assignment(
                    meeting_id=meeting.pk,
                    body_id=to.pk,
                    title=rng.choice(_ASSIGNMENTS),
                    owner=rng.choice(members).name,
                    due_on=due_on,
                    status=Assignment.Status.DONE
                    if done
                    else rng.choice([Assignment.Status.OPEN, Assignment.Status.IN_PROGRESS]),
                    done_on=min(due_on, today) if done else None,
                    outcome="Klart och redovisat för gruppen." if done else "",
                )
            )
        if meeting.minutes_status == MinutesStatus.PUBLISHED and rng.random() < 0.02:
            addenda.append(
                MinutesAddendum(
                    meeting_id=meeting.pk,
                    text="Rättelse: fel datum för nästa möte i punkt 5.",
                    created_at=meeting.published_at + datetime.timedelta(days=3),
                )
            )
    for model, rows in [
        (Attendee, attendees),
        (AgendaItem, agenda),
        (Decision, decisions),
        (Assignment, assignments),
        (MinutesAddendum, addenda),
    ]:
        _insert(model, rows, need_ids=False)
    return {
        "meetings": len(meetings),
        "attendees": len(attendees),
        "agenda_items": len(agenda),
        "decisions": len(decisions),
        "assignments": len(assignments),
        "addenda": len(addenda),
    }


def _insert(model, objs: list, *, need_ids: bool = True) -> None:
    """Bulk insert; on PostgreSQL through COPY, reading the new ids back (COPY keeps row order)."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    before = model.objects.aggregate(m=Max("pk"))["m"] or 0
    copy_rows(
        model._meta.db_table,
        [f.column for f in fields],
        ([getattr(obj, f.attname) for f in fields] for obj in objs),
    )
    if need_ids:
        ids = list(model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
        assert len(ids) == len(objs), "concurrent inserts while seeding"
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
