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

from agreements.demo import texts
from agreements.demo.directory import FEDERATION_NAME, REGION_NAME
from agreements.demo.groups import seed_norrtalje, seed_nynashamn, seed_other_groups
from agreements.demo.helpers import (
    COUNTY_TITLE,
    as_date,
    make_meeting,
    make_members,
    make_revision,
    unit_named,
)
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
    make_revision(
        county,
        1,
        "Överenskommelse 2012",
        sections=texts.COUNTY_SECTIONS,
        parties=[
            (
                federation,
                "Kerstin Vallgren, BUS-sekretariatet",
                [("Gunnar Ahlsten", "Ordförande", as_date("2012-03-29"))],
            ),
            (
                region,
                "Bo Rehnberg, hälso- och sjukvårdsförvaltningen",
                [("Ulla Brink", "Hälso- och sjukvårdsdirektör", as_date("2012-04-16"))],
            ),
        ],
        adopted_on=as_date("2012-03-29"),
        decision_body="Styrelsen för Kommunförbundet Stockholms län",
        decision_date=as_date("2012-03-29"),
        diary_number="2011/0101",
        valid_from=as_date("2012-04-01"),
        originals_count=2,
    )
    make_revision(
        county,
        2,
        "Tillgänglighetsanpassad version 2020",
        sections=texts.COUNTY_SECTIONS,
        parties=[
            (
                federation,
                "Kerstin Vallgren, BUS-sekretariatet",
                [("Gunnar Ahlsten", "Ordförande", as_date("2020-06-11"))],
            ),
            (
                region,
                "Bo Rehnberg, hälso- och sjukvårdsförvaltningen",
                [("Ulla Brink", "Hälso- och sjukvårdsdirektör", as_date("2020-06-22"))],
            ),
        ],
        adopted_on=as_date("2020-06-11"),
        decision_body="Styrelsen för Storsthlm",
        diary_number="2020/0044",
        valid_from=as_date("2020-07-01"),
        change_summary="Texten tillgänglighetsanpassad; innehållet oförändrat.",
        originals_count=2,
    )
    taby = Principal.objects.get(name="Täby kommun")
    for step, day in enumerate(
        ["2012-10-15", "2012-11-05", "2012-11-12", "2012-12-03", "2012-12-17"], start=1
    ):
        OriginalsStep.objects.create(
            agreement=county, principal=taby, step=step, done_on=as_date(day)
        )
    vallentuna = Principal.objects.get(name="Vallentuna kommun")
    OriginalsStep.objects.create(
        agreement=county, principal=vallentuna, step=1, done_on=as_date("2012-06-04")
    )
    OriginalsStep.objects.create(
        agreement=county, principal=vallentuna, step=2, done_on=as_date("2012-06-20")
    )


def seed_taby(region: Principal, today: datetime.date) -> None:
    group = LocalGroup.objects.get(name="Täby")
    if Agreement.objects.filter(local_group=group).exists():
        return
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["chair", "chief"])}
    kommun = Principal.objects.get(name="Täby kommun")
    agreement = Agreement.objects.create(
        kind=Agreement.Kind.LOCAL, title="Lokal BUS-överenskommelse för Täby", local_group=group
    )
    parties = lambda signed1, signed2: [  # noqa: E731
        (
            kommun,
            "Per Almgren, socialtjänsten",
            [
                ("Birgitta Hallberg", "Förvaltningschef, barn och skola", signed1),
                ("Tomas Ekdahl", "Socialchef", signed1),
            ],
        ),
        (
            region,
            "Anders Lundell, BUP Täby",
            [("Gunilla Norén", "Verksamhetschef BUP Nordost", signed2)],
        ),
    ]
    make_revision(
        agreement,
        1,
        "Lokal samverkansöverenskommelse 2013",
        sections=texts.STANDARD_SECTIONS,
        parties=parties(as_date("2013-02-04"), as_date("2013-02-18")),
        adopted_on=as_date("2013-01-24"),
        decision_body="Barn- och grundskolenämnden",
        decision_date=as_date("2013-01-24"),
        diary_number="BGN 2012/311",
        valid_from=as_date("2013-03-01"),
        originals_count=2,
    )
    sections = [list(s) for s in texts.STANDARD_SECTIONS]
    sections[3][2] += " Uppföljningen redovisas för barn- och grundskolenämnden och socialnämnden."
    make_revision(
        agreement,
        2,
        "Revision 2022",
        sections=[tuple(s) for s in sections],
        parties=parties(as_date("2022-03-07"), as_date("2022-03-21")),
        adopted_on=as_date("2022-02-24"),
        decision_body="Barn- och grundskolenämnden",
        decision_date=as_date("2022-02-24"),
        diary_number="BGN 2022/45",
        valid_from=as_date("2022-04-01"),
        review_date=today + datetime.timedelta(days=150),
        originals_count=2,
        change_summary="Uppföljningen redovisas för nämnderna.",
    )
    steering = Body.objects.create(
        agreement=agreement,
        name="Lokal styrgrupp",
        kind=Body.Kind.STEERING,
        position=0,
        remit="Chefer med mandat från huvudmännen. Ger arbetsgruppen uppdrag och beslutar om fokusområden.",
    )
    working = Body.objects.create(
        agreement=agreement,
        name="Arbetsgrupp",
        kind=Body.Kind.WORKING,
        parent=steering,
        position=1,
        remit="Fasta representanter som tar fram rutiner på uppdrag av styrgruppen.",
    )
    forum = Body.objects.create(
        agreement=agreement,
        name="BUS individforum",
        kind=Body.Kind.INDIVIDFORUM,
        parent=working,
        min_meetings_per_term=0,
        position=2,
        remit="Sammankallas inom två veckor när samordnad planering inte nås i ordinarie samverkan.",
    )
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
    chair = users["chair"]
    m1 = make_meeting(
        steering,
        today - datetime.timedelta(days=400),
        "BUP Täby, konferensrummet",
        region,
        s["bup"],
        status=MinutesStatus.PUBLISHED,
        creator=chair,
        minutes="Genomgång av föregående års uppföljning. Antalet ärenden i BUS individforum har ökat.",
        attendees=[s["chair"], s["school"], s["bup"], s["hab"], s["secretary"]],
        agenda=["Föregående minnesanteckningar", "Årlig uppföljning", "Övriga frågor"],
        decisions=["Uppföljningen godkänns."],
    )
    m2 = make_meeting(
        steering,
        today - datetime.timedelta(days=250),
        "Täby kommunhus, rum Ensta",
        kommun,
        s["chair"],
        status=MinutesStatus.PUBLISHED,
        creator=chair,
        minutes="Styrgruppen diskuterade övergången mellan förskola och skola för barn med habiliteringsinsatser.",
        attendees=[s["chair"], s["preschool"], s["bup"], s["bumm"], s["secretary"]],
        agenda=["Föregående minnesanteckningar", "Övergång förskola–skola", "Fokusområden"],
        decisions=["Arbetsgruppen får i uppdrag att ta fram en rutin för överlämning."],
        focus=["Psykisk hälsa i skolan", "Tidig samordnad individuell plan (SIP)"],
    )
    Assignment.objects.create(
        meeting=m2,
        body=working,
        title="Ta fram en rutin för överlämning mellan förskola och skola",
        owner="Rasmus Törnqvist",
        due_on=today - datetime.timedelta(days=100),
        status=Assignment.Status.DONE,
        done_on=today - datetime.timedelta(days=110),
        outcome="Rutinen är antagen och publicerad.",
    )
    m3 = make_meeting(
        steering,
        today - datetime.timedelta(days=70),
        "Täby kommunhus, rum Ensta",
        kommun,
        s["chair"],
        status=MinutesStatus.PUBLISHED,
        creator=chair,
        minutes="Styrgruppen följde upp överlämningsrutinen och gick igenom avvikelser från terminen.",
        attendees=[s["chair"], s["school"], s["bup"], s["hab"], s["bumm"], s["secretary"]],
        agenda=[
            "Föregående minnesanteckningar",
            "Uppföljning av överlämningsrutinen",
            "Avvikelser",
        ],
        decisions=[
            "Överlämningsrutinen fastställs.",
            "Arbetsgruppen får i uppdrag att förtydliga avvikelserutinen.",
        ],
    )
    Assignment.objects.create(
        meeting=m3,
        body=working,
        title="Förtydliga rutinen för avvikelserapportering",
        owner="Elin Norrby",
        due_on=today + datetime.timedelta(days=30),
    )
    Assignment.objects.create(
        meeting=m3,
        body=steering,
        title="Sammanställ antal SIP per huvudman inför årsuppföljningen",
        owner="Hanna Lidén",
        due_on=today + datetime.timedelta(days=60),
        status=Assignment.Status.IN_PROGRESS,
    )
    make_meeting(
        working,
        today - datetime.timedelta(days=50),
        "BUP Täby, konferensrummet",
        region,
        w["bup"],
        status=MinutesStatus.CHECKED,
        creator=chair,
        minutes="Arbetsgruppen påbörjade arbetet med avvikelserutinen och gick igenom blanketten.",
        attendees=[w["chief"], w["health"], w["bup"], w["hab"]],
        agenda=["Uppdrag från styrgruppen: avvikelserutinen", "Erfarenheter från BUS individforum"],
        decisions=["Ett utkast till rutin tas fram till nästa möte."],
    )
    make_meeting(
        working,
        today - datetime.timedelta(days=20),
        "Täby kommunhus, rum Ensta",
        kommun,
        w["chair"],
        status=MinutesStatus.DRAFT,
        creator=chair,
        minutes="Utkast till avvikelserutin diskuterades. Synpunkter lämnas senast om två veckor.",
        attendees=[w["chief"], w["chair"], w["bup"]],
        agenda=["Utkast till avvikelserutin"],
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
    assert m1 and m2


@transaction.atomic
def seed() -> None:
    """The county agreement and the local groups' agreements, bodies and meetings (idempotent)."""
    today = timezone.localdate()
    region = Principal.objects.get(name=REGION_NAME)
    federation = Principal.objects.get(name=FEDERATION_NAME)
    seed_county(region, federation)
    seed_taby(region, today)
    seed_norrtalje(region, today)
    seed_nynashamn(region, today)
    seed_other_groups(region, today)
