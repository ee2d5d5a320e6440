"""Demo plans and forum cases in Täby. Every child and guardian is fictional and carries a
Luhn-valid number from Skatteverket's test series (serial 98xx)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from agreements.models import LocalGroup, Principal, Unit
from sip import consent_services, forum_services, meeting_services, services
from sip.models import Child, Plan, PlanParticipant, PlanVersion, SignOff

DRAFT_CHILD = "201203159817"
AGREED_CHILD = "201406229821"
FORUM_CHILD = "201109049831"
OVERDUE_CHILD = "201001089893"


def _child(first, last, number, guardians) -> services.ChildData:
    birth = datetime.date(int(number[:4]), int(number[4:6]), int(number[6:8]))
    return services.ChildData(
        first_name=first,
        last_name=last,
        personal_number=number,
        protected_identity=False,
        birth_date=birth,
        guardians=guardians,
    )


def _units():
    taby_social = Unit.objects.get(
        principal__name="Täby kommun", name="Socialtjänst, barn och unga"
    )
    taby_school = Unit.objects.get(principal__name="Täby kommun", name="Grundskola")
    bup = Unit.objects.get(principal__name="Region Stockholm", name="BUP Täby öppenvård")
    return taby_social, taby_school, bup


def _plan_data(taby_social, taby_school, bup, today, *, question) -> services.PlanData:
    taby = taby_social.principal
    region = bup.principal
    return services.PlanData(
        fields={
            "need_noticed_on": today - datetime.timedelta(days=10),
            "first_meeting_on": None,
            "question": question,
            "goals_short": "Gå till skolan minst fyra dagar i veckan före jullovet.",
            "goals_long": "Klara kunskapskraven i årskurs 6 och må bättre hemma och i skolan.",
            "child_voice": "Jag vill inte byta skola. Jag vill ha någon att prata med.",
            "family_and_others": "Mormor hämtar på onsdagar. Fotbollsföreningen Täby FK.",
            "no_measures_by_others": False,
            "overall_principal": taby,
            "initiator": "Sara Ekholm",
            "chair": "Sara Ekholm",
            "secretary": "Jonas Vikander",
            "next_follow_up_on": today + datetime.timedelta(days=60),
            "legal_reference": "SoL 16 kap. 4 §, HSL 16 kap. 4 §",
        },
        participants=[
            {
                "kind": PlanParticipant.Kind.UNIT,
                "unit": taby_social,
                "name": "Sara Ekholm",
                "role": "Socialsekreterare",
            },
            {
                "kind": PlanParticipant.Kind.UNIT,
                "unit": bup,
                "name": "Jonas Vikander",
                "role": "Kurator",
            },
            {
                "kind": PlanParticipant.Kind.UNIT,
                "unit": taby_school,
                "name": "Anna Rydén",
                "role": "Specialpedagog",
            },
            {
                "kind": PlanParticipant.Kind.FAMILY,
                "unit": None,
                "name": "Vårdnadshavarna",
                "role": "",
            },
        ],
        measures=[
            {
                "description": "Samtalsstöd varannan vecka",
                "principal": region,
                "unit": bup,
                "other_actor": "",
                "responsible": "Jonas Vikander",
                "starts_on": today,
                "ends_on": today + datetime.timedelta(days=120),
            },
            {
                "description": "Föräldrastöd i grupp (ABC)",
                "principal": taby,
                "unit": taby_social,
                "other_actor": "",
                "responsible": "Sara Ekholm",
                "starts_on": today,
                "ends_on": None,
            },
            {
                "description": "Fotbollsträning två kvällar i veckan",
                "principal": None,
                "unit": None,
                "other_actor": "Täby FK (förening)",
                "responsible": "Tränaren",
                "starts_on": None,
                "ends_on": None,
            },
        ],
    )


def _consents(plan, officer, guardians, principals, today):
    for position, name in enumerate(guardians, start=1):
        consent_services.record_consent(
            user=officer,
            purpose=plan,
            person=f"guardian_{position}",
            person_name=name,
            principals=principals,
            given_on=today - datetime.timedelta(days=5),
            form="recorded",
            exclusions="Uppgifter om mammans sjukdom lämnas inte ut." if position == 1 else "",
            valid_until=today + datetime.timedelta(days=365),
        )


@transaction.atomic
def seed() -> None:
    if not Child.objects.filter(personal_number=DRAFT_CHILD).exists():
        _seed_plans()
    _seed_meeting()


def _seed_meeting() -> None:
    """A SIP meeting for the draft plan, a week ahead: officer2 (BUP Täby) and the school are
    invited and have not answered; the agreed plan waits for BUP's and the school's confirmation
    (officer2's inbox). Only once: nothing is added when the plan has a meeting."""
    draft = Plan.objects.filter(child__personal_number=DRAFT_CHILD).first()
    if draft is None or draft.meetings.exists():
        return
    User = get_user_model()
    officer = User.objects.get(username="officer")
    officer2 = User.objects.get(username="officer2")
    _taby_social, taby_school, _bup = _units()
    day = timezone.localdate() + datetime.timedelta(days=7)
    while day.weekday() >= 5:  # a working day
        day += datetime.timedelta(days=1)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13, 0)))
    meeting_services.convene_meeting(
        plan=draft,
        user=officer,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        place="Täby kommunhus, mötesrum Ängen",
        video_link="",
        invitees=meeting_services.Invitees(units=[taby_school], users=[officer2]),
    )


def _seed_plans() -> None:
    User = get_user_model()
    officer = User.objects.get(username="officer")
    chief = User.objects.get(username="chief")
    taby_social, taby_school, bup = _units()
    group = LocalGroup.objects.get(name="Täby")
    principals = [
        Principal.objects.get(name="Täby kommun"),
        Principal.objects.get(name="Region Stockholm"),
    ]
    today = timezone.localdate()

    guardians = [("Maria Lindqvist", "070-123 45 67"), ("Johan Lindqvist", "070-765 43 21")]
    draft = services.create_plan(
        user=officer,
        owner_unit=taby_social,
        local_group=group,
        child=_child("Alva", "Lindqvist", DRAFT_CHILD, guardians),
        data=_plan_data(
            taby_social,
            taby_school,
            bup,
            today,
            question="Alva är ofta borta från skolan och har svårt att sova. Familjen behöver samordnat stöd från skola, socialtjänst och BUP.",
        ),
    )
    _consents(draft, officer, [g[0] for g in guardians], principals, today)

    guardians = [("Leila Berg", "073-111 22 33")]
    data = _plan_data(
        taby_social,
        taby_school,
        bup,
        today,
        question="Noah har stark oro och behöver stöd i skolan och hemma.",
    )
    data.fields["need_noticed_on"] = today - datetime.timedelta(days=120)
    data.fields["first_meeting_on"] = today - datetime.timedelta(days=105)
    data.fields["next_follow_up_on"] = today - datetime.timedelta(days=30)
    agreed = services.create_plan(
        user=officer,
        owner_unit=taby_social,
        local_group=group,
        child=_child("Noah", "Berg", AGREED_CHILD, guardians),
        data=data,
    )
    _consents(
        agreed, officer, [g[0] for g in guardians], principals, today - datetime.timedelta(days=100)
    )
    agreed.refresh_from_db()
    services.agree_plan(
        plan=agreed,
        user=officer,
        meeting_on=today - datetime.timedelta(days=105),
    )
    measures = list(agreed.measures.all())
    follow_up = services.record_follow_up(
        plan=agreed,
        user=officer,
        meeting_on=today - datetime.timedelta(days=30),
        evaluations={
            measures[0].pk: ("ongoing", "Noah går på samtalen och tycker att de hjälper."),
            measures[1].pk: ("done", "Föräldragruppen är avslutad."),
            measures[2].pk: ("changed", "Tränar en kväll i veckan i stället för två."),
        },
        summary="Närvaron i skolan har ökat. Samtalsstödet fortsätter.",
        next_follow_up_on=today + datetime.timedelta(days=10),
    )
    # The services stamp "now"; date the demo's history to its meetings so it reads naturally.
    agreed_at = timezone.now() - datetime.timedelta(days=105)
    Plan.objects.filter(pk=agreed.pk).update(agreed_at=agreed_at)
    PlanVersion.objects.filter(plan=agreed, number=1).update(created_at=agreed_at)
    SignOff.objects.filter(version__plan=agreed).update(signed_at=agreed_at)
    PlanVersion.objects.filter(pk=follow_up.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )

    for number, first, last, days, question in (
        (
            FORUM_CHILD,
            "Elsa",
            "Holm",
            5,
            "Oenighet om vem som ska ge stöd i skolan under utredning hos BUP.",
        ),
        (
            OVERDUE_CHILD,
            "Liam",
            "Sandberg",
            20,
            "Huvudmännen är oeniga om placering och vem som bär kostnaden.",
        ),
    ):
        case = forum_services.raise_forum_case(
            user=chief,
            raising_unit=taby_social,
            local_group=group,
            child=_child(first, last, number, [(f"Vårdnadshavare {last}", "")]),
            need_noticed_on=today - datetime.timedelta(days=days),
            question=question,
            invited_units=[bup, taby_school],
            invited_officers="Sara Ekholm (socialsekreterare)",
        )
        if days == 5:
            consent_services.record_consent(
                user=chief,
                purpose=case,
                person="guardian_1",
                person_name=f"Vårdnadshavare {last}",
                principals=principals,
                given_on=today - datetime.timedelta(days=3),
                form="written",
                document=ContentFile(b"%PDF-1.4 demo", name="samtycke.pdf"),
            )
