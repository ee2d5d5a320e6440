"""Demo agreements, bodies and meetings for the demo county (fictional people, Swedish text).

Idempotent: each agreement is created only if it does not exist yet, by its natural key (the
county agreement's title, or the local group). Dates are relative to today so that the county
overview always shows every status.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements import services
from agreements.demo import texts
from agreements.demo.directory import FEDERATION_NAME, REGION_NAME
from agreements.demo.groups import seed_norrtalje, seed_nynashamn, seed_other_groups
from agreements.demo.helpers import (
    COUNTY_TITLE,
    as_date,
    make_meeting,
    make_members,
    make_revisions,
    unit_named,
)
from agreements.demo.meetings import seed_meeting_work
from agreements.models import (
    Agreement,
    Assignment,
    Body,
    BodyMember,
    LocalGroup,
    MinutesStatus,
    OriginalsStep,
    PlanItem,
    Principal,
)


def seed_county(region: Principal, federation: Principal) -> None:
    if Agreement.objects.filter(kind=Agreement.Kind.COUNTY, title=COUNTY_TITLE).exists():
        return
    county = Agreement.objects.create(kind=Agreement.Kind.COUNTY, title=COUNTY_TITLE)
    parties = [
        (federation, "Kerstin Vallgren, BUS-sekretariatet", [("Gunnar Ahlsten", "Ordförande")]),
        (
            region,
            "Bo Rehnberg, hälso- och sjukvårdsförvaltningen",
            [("Ulla Brink", "Hälso- och sjukvårdsdirektör")],
        ),
    ]
    revisions = [
        {
            "title": "Överenskommelse 2012",
            "signed": [as_date("2012-03-29"), as_date("2012-04-16")],
            "adopted_on": as_date("2012-03-29"),
            "decision_body": "Styrelsen för Kommunförbundet Stockholms län",
            "decision_date": as_date("2012-03-29"),
            "diary_number": "2011/0101",
            "valid_from": as_date("2012-04-01"),
        },
        {
            "title": "Tillgänglighetsanpassad version 2020",
            "signed": [as_date("2020-06-11"), as_date("2020-06-22")],
            "adopted_on": as_date("2020-06-11"),
            "decision_body": "Styrelsen för Storsthlm",
            "diary_number": "2020/0044",
            "valid_from": as_date("2020-07-01"),
            "change_summary": "Texten tillgänglighetsanpassad; innehållet oförändrat.",
        },
    ]
    make_revisions(
        county, revisions, sections=texts.COUNTY_SECTIONS, parties=parties, originals_count=2
    )
    # Originals routing: Täby has come to the end, Vallentuna is at step 2.
    for name, days in [
        ("Täby kommun", ["2012-10-15", "2012-11-05", "2012-11-12", "2012-12-03", "2012-12-17"]),
        ("Vallentuna kommun", ["2012-06-04", "2012-06-20"]),
    ]:
        principal = Principal.objects.get(name=name)
        for step, day in enumerate(days, start=1):
            OriginalsStep.objects.create(
                agreement=county, principal=principal, step=step, done_on=as_date(day)
            )


def seed_taby(agreement: Agreement, region: Principal, today: datetime.date) -> None:
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["chair", "chief"])}
    kommun = Principal.objects.get(name="Täby kommun")
    parties = [
        (
            kommun,
            "Per Almgren, socialtjänsten",
            [
                ("Birgitta Hallberg", "Förvaltningschef, barn och skola"),
                ("Tomas Ekdahl", "Socialchef"),
            ],
        ),
        (region, "Anders Lundell, BUP Täby", [("Gunilla Norén", "Verksamhetschef BUP Nordost")]),
    ]
    revised = [list(s) for s in texts.STANDARD_SECTIONS]
    revised[3][2] += " Uppföljningen redovisas för barn- och grundskolenämnden och socialnämnden."
    revisions = [
        {
            "title": "Lokal samverkansöverenskommelse 2013",
            "sections": texts.STANDARD_SECTIONS,
            "signed": [as_date("2013-02-04"), as_date("2013-02-18")],
            "adopted_on": as_date("2013-01-24"),
            "decision_date": as_date("2013-01-24"),
            "diary_number": "BGN 2012/311",
            "valid_from": as_date("2013-03-01"),
        },
        {
            "title": "Revision 2022",
            "sections": [tuple(s) for s in revised],
            "signed": [as_date("2022-03-07"), as_date("2022-03-21")],
            "adopted_on": as_date("2022-02-24"),
            "decision_date": as_date("2022-02-24"),
            "diary_number": "BGN 2022/45",
            "valid_from": as_date("2022-04-01"),
            "review_date": today + datetime.timedelta(days=150),
            "change_summary": "Uppföljningen redovisas för nämnderna.",
        },
    ]
    make_revisions(
        agreement,
        revisions,
        parties=parties,
        decision_body="Barn- och grundskolenämnden",
        originals_count=2,
    )
    steering, working, forum = services.create_standard_bodies(agreement)
    steering.remit = "Chefer med mandat från huvudmännen. Ger arbetsgruppen uppdrag och beslutar om fokusområden."
    working.remit = "Fasta representanter som tar fram rutiner på uppdrag av styrgruppen."
    forum.remit = (
        "Sammankallas inom två veckor när samordnad planering inte nås i ordinarie samverkan."
    )
    Body.objects.bulk_update([steering, working, forum], ["remit"])
    soc = unit_named(kommun, "Socialtjänst, barn och unga")
    R = BodyMember.Role
    s = make_members(
        steering,
        [
            ("chair", "Per Almgren", soc, R.CHAIR, users["chair"]),
            ("school", "Birgitta Hallberg", unit_named(kommun, "Grundskola"), R.MEMBER, None),
            ("preschool", "Monica Frisk", unit_named(kommun, "Förskola"), R.MEMBER, None),
            ("bup", "Anders Lundell", unit_named(region, "BUP Täby öppenvård"), R.MEMBER, None),
            ("hab", "Cecilia Wahlgren", unit_named(region, "Habilitering Nordost"), R.MEMBER, None),
            ("bumm", "Jakob Mellin", unit_named(region, "BUMM Nordost"), R.MEMBER, None),
            ("secretary", "Hanna Lidén", unit_named(kommun, "Elevhälsa"), R.SECRETARY, None),
        ],
    )
    w = make_members(
        working,
        [
            ("chief", "Elin Norrby", soc, R.MEMBER, users["chief"]),
            ("chair", "Per Almgren", soc, R.CHAIR, users["chair"]),
            ("health", "Sanna Kjellberg", unit_named(kommun, "Elevhälsa"), R.MEMBER, None),
            ("bup", "Rasmus Törnqvist", unit_named(region, "BUP Täby öppenvård"), R.CONVENOR, None),
            ("hab", "Lotta Pihl", unit_named(region, "Habilitering Nordost"), R.MEMBER, None),
        ],
    )
    make_members(forum, [("chief", "Elin Norrby", soc, R.CONVENOR, users["chief"])])
    # Each meeting place's host, and who chairs there: the chair follows the meeting place.
    venues = {
        "BUP Täby, konferensrummet": (region, "bup"),
        "Täby kommunhus, rum Ensta": (kommun, "chair"),
    }
    # The meetings, oldest first; attendees are keys of the body's members.
    meetings = [
        {
            "body": steering,
            "days_ago": 400,
            "place": "BUP Täby, konferensrummet",
            "status": MinutesStatus.PUBLISHED,
            "minutes": "Genomgång av föregående års uppföljning. Antalet ärenden i BUS individforum har ökat.",
            "attendees": ["chair", "school", "bup", "hab", "secretary"],
            "agenda": ["Föregående minnesanteckningar", "Årlig uppföljning", "Övriga frågor"],
            "decisions": ["Uppföljningen godkänns."],
        },
        {
            "body": steering,
            "days_ago": 250,
            "place": "Täby kommunhus, rum Ensta",
            "status": MinutesStatus.PUBLISHED,
            "minutes": "Styrgruppen diskuterade övergången mellan förskola och skola för barn med habiliteringsinsatser.",
            "attendees": ["chair", "preschool", "bup", "bumm", "secretary"],
            "agenda": ["Föregående minnesanteckningar", "Övergång förskola–skola", "Fokusområden"],
            "decisions": ["Arbetsgruppen får i uppdrag att ta fram en rutin för överlämning."],
            "focus": ["Psykisk hälsa i skolan", "Tidig samordnad individuell plan (SIP)"],
        },
        {
            "body": steering,
            "days_ago": 70,
            "place": "Täby kommunhus, rum Ensta",
            "status": MinutesStatus.PUBLISHED,
            "minutes": "Styrgruppen följde upp överlämningsrutinen och gick igenom avvikelser från terminen.",
            "attendees": ["chair", "school", "bup", "hab", "bumm", "secretary"],
            "agenda": [
                "Föregående minnesanteckningar",
                "Uppföljning av överlämningsrutinen",
                "Avvikelser",
            ],
            "decisions": [
                "Överlämningsrutinen fastställs.",
                "Arbetsgruppen får i uppdrag att förtydliga avvikelserutinen.",
            ],
        },
        {
            "body": working,
            "days_ago": 50,
            "place": "BUP Täby, konferensrummet",
            "status": MinutesStatus.CHECKED,
            "minutes": "Arbetsgruppen påbörjade arbetet med avvikelserutinen och gick igenom blanketten.",
            "attendees": ["chief", "health", "bup", "hab"],
            "agenda": [
                "Uppdrag från styrgruppen: avvikelserutinen",
                "Erfarenheter från BUS individforum",
            ],
            "decisions": ["Ett utkast till rutin tas fram till nästa möte."],
        },
        {
            "body": working,
            "days_ago": 20,
            "place": "Täby kommunhus, rum Ensta",
            "status": MinutesStatus.DRAFT,
            "minutes": "Utkast till avvikelserutin diskuterades. Synpunkter lämnas senast om två veckor.",
            "attendees": ["chief", "chair", "bup"],
            "agenda": ["Utkast till avvikelserutin"],
        },
    ]
    held = []
    for row in meetings:
        body = row["body"]
        by_key = s if body == steering else w
        host, chair = venues[row["place"]]
        held.append(
            make_meeting(
                body,
                today - datetime.timedelta(days=row["days_ago"]),
                row["place"],
                host,
                by_key[chair],
                status=row["status"],
                minutes=row["minutes"],
                attendees=[by_key[key] for key in row["attendees"]],
                agenda=row["agenda"],
                decisions=row.get("decisions", ()),
                focus=row.get("focus", ()),
                creator=users["chair"],
            )
        )
    # Assignments given at the second and third steering group meetings.
    for meeting, body, title, owner, due_in_days, status, done_days_ago, outcome in [
        (
            held[1],
            working,
            "Ta fram en rutin för överlämning mellan förskola och skola",
            "Rasmus Törnqvist",
            -100,
            Assignment.Status.DONE,
            110,
            "Rutinen är antagen och publicerad.",
        ),
        (
            held[2],
            working,
            "Förtydliga rutinen för avvikelserapportering",
            "Elin Norrby",
            30,
            Assignment.Status.OPEN,
            None,
            "",
        ),
        (
            held[2],
            steering,
            "Sammanställ antal SIP per huvudman inför årsuppföljningen",
            "Hanna Lidén",
            60,
            Assignment.Status.IN_PROGRESS,
            None,
            "",
        ),
    ]:
        Assignment.objects.create(
            meeting=meeting,
            body=body,
            title=title,
            owner=owner,
            due_on=today + datetime.timedelta(days=due_in_days),
            status=status,
            done_on=today - datetime.timedelta(days=done_days_ago) if done_days_ago else None,
            outcome=outcome,
        )
    for year, kind, text in [
        (today.year, PlanItem.Kind.GOAL, "Alla barn med insatser från flera huvudmän erbjuds SIP."),
        (
            today.year,
            PlanItem.Kind.ACTIVITY,
            "Gemensam utbildningsdag om SIP för förskola, skola och BUP.",
        ),
        (
            today.year,
            PlanItem.Kind.ACTIVITY,
            "Informationsmaterial om BUS individforum till alla rektorer.",
        ),
    ]:
        PlanItem.objects.create(agreement=agreement, year=year, kind=kind, text=text)


@transaction.atomic
def seed() -> None:
    """The county agreement and the local groups' agreements, bodies and meetings (idempotent)."""
    today = timezone.localdate()
    region = Principal.objects.get(name=REGION_NAME)
    federation = Principal.objects.get(name=FEDERATION_NAME)
    seed_county(region, federation)
    # The hand-written groups; a group that has its agreement already was seeded before.
    for group_name, title, seed_group in [
        ("Täby", "Lokal BUS-överenskommelse för Täby", seed_taby),
        (
            "Norrtälje",
            "Lokal samverkansöverenskommelse barn och unga i behov av särskilt stöd, Norrtälje",
            seed_norrtalje,
        ),
        (
            "Nynäshamn",
            "Samverkansavtal om barn och ungdomar med behov av särskilt stöd, Nynäshamn",
            seed_nynashamn,
        ),
    ]:
        group = LocalGroup.objects.get(name=group_name)
        if not Agreement.objects.filter(local_group=group).exists():
            agreement = Agreement.objects.create(
                kind=Agreement.Kind.LOCAL, title=title, local_group=group
            )
            seed_group(agreement, region, today)
    seed_other_groups(region, today)
    seed_meeting_work(today)
