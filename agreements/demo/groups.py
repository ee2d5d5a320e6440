"""Demo agreements for Norrtälje (five revisions), Nynäshamn (custom bodies) and the other groups."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from agreements import services
from agreements.demo import texts
from agreements.demo.directory_data import REGION_SECTORS
from agreements.demo.helpers import (
    NO_AGREEMENT_GROUPS,
    SPECIAL_GROUPS,
    as_date,
    make_meeting,
    make_members,
    make_revision,
    make_revisions,
    unit_named,
)
from agreements.models import (
    Agreement,
    Attachment,
    Body,
    BodyMember,
    LocalGroup,
    MinutesStatus,
    Principal,
    Unit,
)


def seed_norrtalje(agreement: Agreement, region: Principal, today: datetime.date) -> None:
    kommun = Principal.objects.get(name="Norrtälje kommun")
    parties = [
        (kommun, "Kristina Holm, socialförvaltningen", [("Magnus Ödman", "Förbundsdirektör")]),
        (region, "Viktor Sahlin, BUP Nordost", [("Gunilla Norén", "Verksamhetschef BUP Nordost")]),
    ]
    headings = {k: h for k, h, _t in texts.STANDARD_SECTIONS}
    for number, (title, adopted, decided_by, dnr, body) in enumerate(
        texts.NORRTALJE_REVISIONS, start=1
    ):
        adopted_on = as_date(adopted)
        signed = adopted_on + datetime.timedelta(days=14)
        make_revision(
            agreement,
            number,
            title,
            sections=[(key, headings[key], text) for key, text in body.items()],
            parties=parties,
            signed=[signed, signed],
            adopted_on=adopted_on,
            decision_body=decided_by,
            decision_date=adopted_on,
            diary_number=dnr,
            valid_from=adopted_on + datetime.timedelta(days=30),
            review_date=(today + datetime.timedelta(days=300)) if number == 5 else None,
            originals_count=3,
        )
    steering, working, _forum = services.create_standard_bodies(agreement)
    _standard_members(steering, working, kommun, region, "Nordost", 40, drop=set())
    Attachment.objects.create(
        agreement=agreement,
        revision=agreement.revisions.get(number=1),
        kind=Attachment.Kind.EARLIER_VERSION,
        title="Överenskommelsen 2009 (avskrift)",
        file=ContentFile(
            "Lokal överenskommelse 2009-12-18 (avskrift, demo).\n".encode(),
            name="norrtalje-2009.txt",
        ),
    )


def seed_nynashamn(agreement: Agreement, region: Principal, today: datetime.date) -> None:
    kommun = Principal.objects.get(name="Nynäshamns kommun")
    parties = [
        (
            kommun,
            "Ebba Karlström, socialförvaltningen; Jonas Wiberg, barn- och utbildningsförvaltningen",
            [("Ingela Thorén", "Socialchef"), ("Staffan Mård", "Barn- och utbildningschef")],
        ),
        (
            region,
            "Agneta Rosén, hälso- och sjukvårdsförvaltningen",
            [
                ("Lena Borg", "Verksamhetschef BUP Sydost"),
                ("Pär Åkesson", "Verksamhetschef Habilitering Sydost"),
            ],
        ),
    ]
    revisions = [
        {
            "title": "Samverkansavtal 2004",
            "signed": [as_date("2004-05-24"), as_date("2004-05-24")],
            "adopted_on": as_date("2004-05-10"),
            "valid_from": as_date("2004-06-01"),
            "valid_to": as_date("2005-12-31"),
        },
        {
            "title": "Förlängt avtal 2024",
            "signed": [as_date("2024-01-15"), as_date("2024-01-15")],
            "adopted_on": as_date("2023-12-14"),
            "decision_body": "Socialnämnden",
            "diary_number": "SN 2023/201",
            "valid_from": as_date("2024-01-01"),
            "valid_to": today + datetime.timedelta(days=60),
            "change_summary": "Avtalet förlängs med oförändrat innehåll.",
        },
    ]
    make_revisions(
        agreement, revisions, sections=texts.NYNASHAMN_SECTIONS, parties=parties, originals_count=7
    )
    # A joint steering group with the municipality's, the region's and the case officers' forums
    # reporting to it.
    bodies: list[Body] = []
    for position, (name, kind, min_meetings) in enumerate(
        [
            ("Gemensam styrgrupp", Body.Kind.JOINT_STEERING, 3),
            ("Kommunens interna forum", Body.Kind.MUNICIPAL_FORUM, 1),
            ("Regionens interna forum", Body.Kind.REGION_FORUM, 1),
            ("Handläggargrupp", Body.Kind.CASE_OFFICERS, 3),
        ]
    ):
        bodies.append(
            Body.objects.create(
                agreement=agreement,
                name=name,
                kind=kind,
                parent=bodies[0] if bodies else None,
                min_meetings_per_term=min_meetings,
                position=position,
            )
        )
    joint, muni, reg, officers = bodies
    R = BodyMember.Role
    soc = unit_named(kommun, "Socialtjänst, barn och unga")
    school = unit_named(kommun, "Grundskola")
    bup, hab, bumm = (unit_named(region, f"{k} Sydost") for k in ("BUP", "Habilitering", "BUMM"))
    make_members(
        joint,
        [
            ("a", "Ingela Thorén", soc, R.CHAIR, None),
            ("b", "Staffan Mård", school, R.MEMBER, None),
            ("c", "Lena Borg", bup, R.MEMBER, None),
            ("d", "Pär Åkesson", hab, R.MEMBER, None),
            ("e", "Mats Hägg", bumm, R.MEMBER, None),
        ],
    )
    make_members(
        muni,
        [("a", "Ingela Thorén", soc, R.CHAIR, None), ("b", "Staffan Mård", school, R.MEMBER, None)],
    )
    make_members(
        reg, [("c", "Lena Borg", bup, R.CHAIR, None), ("d", "Pär Åkesson", hab, R.MEMBER, None)]
    )
    outsider = get_user_model().objects.filter(username="outsider").first()
    o = make_members(
        officers,
        [
            ("a", "Maja Strandberg", soc, R.CONVENOR, outsider),
            ("b", "Nils Ek", school, R.MEMBER, None),
            ("c", "Greta Falk", bup, R.MEMBER, None),
        ],
    )
    for days, status in [(45, MinutesStatus.PUBLISHED), (15, MinutesStatus.DRAFT)]:
        held = today - datetime.timedelta(days=days)
        make_meeting(
            officers,
            held,
            "Nynäshamns kommunhus",
            kommun,
            o["a"],
            status=status,
            minutes="Handläggargruppen gick igenom rutinen för övergång från bas- till specialistnivå.",
            attendees=list(o.values()),
            agenda=["Rutin för övergång bas–specialist"],
        )


def _standard_members(steering, working, municipality, region, sector, seed, drop):
    """One member per service for a generated group; ``drop`` removes required services."""
    R = BodyMember.Role
    rows = [
        ("social_services", municipality, "Socialtjänst, barn och unga"),
        (
            "school",
            municipality,
            "Grundskola" if municipality.kind == Principal.Kind.MUNICIPALITY else "Förskola",
        ),
        ("bup", region, f"BUP {sector}"),
        ("habilitation", region, f"Habilitering {sector}"),
        ("bumm", region, f"BUMM {sector}"),
    ]
    units = {
        (u.principal_id, u.name): u
        for u in Unit.objects.filter(principal__in=[municipality, region])
    }
    members = {}
    for body_index, body in enumerate([steering, working]):
        new = []
        for i, (key, principal, unit_name) in enumerate(rows):
            if key in drop or (principal.pk, unit_name) not in units:
                continue
            role = R.CHAIR if i == 0 else (R.CONVENOR if i == 2 and body_index == 1 else R.MEMBER)
            new.append(
                BodyMember(
                    body=body,
                    name=texts.person(seed + i + body_index * 5),
                    unit=units[(principal.pk, unit_name)],
                    role=role,
                )
            )
        members[body.pk] = BodyMember.objects.bulk_create(new)
    return members


def _sector_of(area_names: list[str]) -> str:
    for sector, names in REGION_SECTORS.items():
        if any(name in names for name in area_names):
            return sector
    return "Stockholm"


def seed_other_groups(region: Principal, today: datetime.date) -> None:
    """A standard agreement per remaining group, spread over every status the overview shows."""
    groups = (
        LocalGroup.objects.exclude(name__in=SPECIAL_GROUPS | NO_AGREEMENT_GROUPS)
        .filter(agreement__isnull=True)
        .prefetch_related("areas", "principals")
        .order_by("name")
    )
    for index, group in enumerate(groups):
        municipality = next((p for p in group.principals.all() if p.pk != region.pk), None)
        if municipality is None:
            continue
        valid_to = review = None
        signed_region = today - datetime.timedelta(days=500 + index)
        kind = index % 9
        if kind == 1:
            valid_to = today - datetime.timedelta(days=40 + index)
        elif kind == 4:
            valid_to = today + datetime.timedelta(days=45)
        elif kind == 6:
            review = today - datetime.timedelta(days=10)
        elif kind == 7:
            signed_region = None
        else:
            review = today + datetime.timedelta(days=200 + index)
        agreement = Agreement.objects.create(
            kind=Agreement.Kind.LOCAL,
            title=f"Lokal BUS-överenskommelse {group.name}",
            local_group=group,
        )
        signed = today - datetime.timedelta(days=520 + index)
        make_revision(
            agreement,
            1,
            "Överenskommelse",
            sections=texts.STANDARD_SECTIONS,
            parties=[
                (
                    municipality,
                    texts.person(index * 3),
                    [(texts.person(index * 3 + 1), "Förvaltningschef")],
                ),
                (
                    region,
                    texts.person(index * 3 + 2),
                    [(texts.person(index * 3 + 3), "Verksamhetschef")],
                ),
            ],
            signed=[signed, signed_region],
            adopted_on=signed,
            valid_from=signed,
            valid_to=valid_to,
            review_date=review,
            decision_body="Socialnämnden",
            diary_number=f"SN {signed.year}/{100 + index}",
        )
        steering, working, _forum = services.create_standard_bodies(agreement)
        drop = {"bumm"} if index % 7 == 3 else ({"habilitation"} if index % 11 == 5 else set())
        members = _standard_members(
            steering,
            working,
            municipality,
            region,
            _sector_of([a.name for a in group.areas.all()]),
            index * 5,
            drop,
        )
        if index % 4 == 0:
            continue  # these groups have not met this term
        for body, offset in [(steering, 12), (working, 5)]:
            body_members = members[body.pk]
            held = max(
                today - datetime.timedelta(days=offset + index % 20),
                today.replace(day=1, month=1 if today.month <= 6 else 7),
            )
            make_meeting(
                body,
                held,
                f"{municipality.name}, sammanträdesrum",
                municipality,
                body_members[0],
                status=MinutesStatus.PUBLISHED,
                minutes="Ordinarie möte enligt överenskommelsen.",
                attendees=body_members,
                agenda=["Föregående minnesanteckningar", "Aktuellt från huvudmännen"],
            )
