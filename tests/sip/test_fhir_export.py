"""The FHIR export other systems read: compared with a bundle written by hand for a demo-like
plan, and validated against the R4B models.

The only values normalised are the generated ones: ``urn:uuid`` references (replaced by readable
labels, the same everywhere they occur), the bundle's timestamp, and the plan number (``SIP-<pk>``),
which is passed to the expected bundle.
"""

import datetime
import json
import zoneinfo

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from agreements.models import Principal
from sip import fhir
from sip.models import Consent, Plan, PlanParticipant, PlanVersion
from tests.sip.factories import (
    ChildFactory,
    ConsentFactory,
    GuardianFactory,
    MeasureFactory,
    ParticipantFactory,
    PlanFactory,
    taby_bup,
    taby_social,
)

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
SITE = "http://127.0.0.1:8000"  # SITE_URL in the test settings (demo mode)
GUARD = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
    "code": "GUARD",
    "display": "guardian",
}
RECIPIENT = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
            "code": "IRCP",
            "display": "information recipient",
        }
    ]
}
CONSENT_SCOPE = {
    "coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}
    ]
}
CONSENT_CATEGORY = [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}]


def _plan(officer, *, status=Plan.Status.AGREED) -> Plan:
    """A plan like the demo's, with fixed dates so that the expected bundle can be literal."""
    Principal.objects.filter(name="Region Stockholm").update(org_number="232100-0016")
    taby = Principal.objects.get(name="Täby kommun")
    region = Principal.objects.get(name="Region Stockholm")
    child = ChildFactory(
        first_name="Tindra",
        last_name="Exempelsson",
        personal_number="201503039875",
        birth_date=datetime.date(2015, 3, 3),
    )
    GuardianFactory(child=child, position=1, name="Vera Exempelsson", phone="070-000 00 01")
    GuardianFactory(child=child, position=2, name="Olle Exempelsson")
    agreed = status != Plan.Status.DRAFT
    plan = PlanFactory(
        child=child,
        status=status,
        agreed_at=datetime.datetime(2025, 1, 20, 10, 0, tzinfo=STOCKHOLM) if agreed else None,
        created_at=datetime.datetime(2025, 1, 10, 9, 0, tzinfo=STOCKHOLM),
        need_noticed_on=datetime.date(2025, 1, 2),
        question="Tindra är ofta borta från skolan och behöver samordnat stöd.",
        goals_short="Gå till skolan minst fyra dagar i veckan.",
        goals_long="Må bättre hemma och i skolan.",
        child_voice="Jag vill ha någon att prata med.",
        overall_principal=taby,
        chair="Sara Ekholm",
        secretary="Jonas Vikander",
        next_follow_up_on=datetime.date(2025, 6, 1),
    )
    ParticipantFactory(
        plan=plan, unit=taby_social(), name="Sara Ekholm", role="Socialsekreterare", position=1
    )
    ParticipantFactory(
        plan=plan, unit=taby_bup(), name="Jonas Vikander", role="Kurator", position=2
    )
    ParticipantFactory(
        plan=plan,
        kind=PlanParticipant.Kind.FAMILY,
        unit=None,
        name="Vårdnadshavarna",
        position=3,
    )
    MeasureFactory(
        plan=plan,
        description="Samtalsstöd varannan vecka",
        principal=region,
        unit=taby_bup(),
        responsible="Jonas Vikander",
        starts_on=datetime.date(2025, 2, 1),
        ends_on=datetime.date(2025, 6, 30),
        position=1,
    )
    MeasureFactory(
        plan=plan,
        description="Fotbollsträning en kväll i veckan",
        principal=None,
        other_actor="Täby FK (förening)",
        responsible="Tränaren",
        position=2,
    )
    if agreed:
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            kind=PlanVersion.Kind.AGREED,
            created_by=officer,
            content=plan.snapshot(),
        )
    ConsentFactory(
        plan=plan,
        person=Consent.Person.GUARDIAN_1,
        person_name="Vera Exempelsson",
        given_on=datetime.date(2025, 1, 5),
        exclusions="Uppgifter om mammans sjukdom lämnas inte ut.",
        principals=[taby, region],
    )
    ConsentFactory(
        plan=plan,
        person=Consent.Person.GUARDIAN_2,
        person_name="Olle Exempelsson",
        given_on=datetime.date(2025, 1, 5),
        withdrawn_on=datetime.date(2025, 3, 1),
        withdrawn_by="Olle Exempelsson",
        principals=[taby, region],
    )
    return Plan.objects.get(pk=plan.pk)


def _expected(number: str) -> dict:
    """The bundle for ``_plan``, written by hand. References are labels (see ``_normalised``)."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": "<timestamp>",
        "entry": {
            "Patient": {
                "resourceType": "Patient",
                "name": [{"family": "Exempelsson", "given": ["Tindra"]}],
                "identifier": [{"system": "urn:oid:1.2.752.129.2.1.3.1", "value": "201503039875"}],
                "birthDate": "2015-03-03",
            },
            "CarePlan": {
                "resourceType": "CarePlan",
                "meta": {"versionId": "1"},
                "identifier": [{"system": f"{SITE}/sip/", "value": number}],
                "status": "active",
                "intent": "plan",
                "title": f"Samordnad individuell plan {number}",
                "description": "Tindra är ofta borta från skolan och behöver samordnat stöd.",
                "subject": {"reference": "Patient"},
                "created": "2025-01-10T09:00:00+01:00",
                "period": {"start": "2025-01-02"},
                "author": {"reference": "Organization/Täby kommun", "display": "Täby kommun"},
                "careTeam": [{"reference": "CareTeam"}],
                "goal": [
                    {"reference": "Goal/Mål på kort sikt"},
                    {"reference": "Goal/Mål på lång sikt"},
                ],
                "activity": [
                    {
                        "detail": {
                            "status": "scheduled",
                            "description": "Samtalsstöd varannan vecka",
                            "performer": [
                                {
                                    "reference": "Organization/BUP Täby öppenvård",
                                    "display": "BUP Täby öppenvård, Region Stockholm",
                                },
                                {
                                    "reference": "PractitionerRole/Jonas Vikander",
                                    "display": "Jonas Vikander",
                                },
                            ],
                            "scheduledPeriod": {"start": "2025-02-01", "end": "2025-06-30"},
                        }
                    },
                    {
                        "detail": {
                            "status": "scheduled",
                            "description": "Fotbollsträning en kväll i veckan",
                            # "Tränaren" is no participant: no reference is made up for them.
                            "performer": [{"display": "Täby FK (förening)"}],
                        }
                    },
                ],
                "note": [
                    {"text": "Barnets egen röst: Jag vill ha någon att prata med."},
                    {"text": "Lagrum: SoL 16 kap. 4 §, HSL 16 kap. 4 §"},
                    {"text": "Nästa uppföljning: 2025-06-01"},
                    {"text": "Version 1, fastställd"},
                ],
            },
            "CareTeam": {
                "resourceType": "CareTeam",
                "status": "active",
                "name": f"SIP-team {number}",
                "subject": {"reference": "Patient"},
                "participant": [
                    {
                        "role": [
                            {"text": "Företrädare för verksamhet"},
                            {"text": "Socialsekreterare"},
                        ],
                        "member": {
                            "reference": "PractitionerRole/Sara Ekholm",
                            "display": "Sara Ekholm",
                        },
                        "onBehalfOf": {
                            "reference": "Organization/Socialtjänst, barn och unga",
                            "display": "Socialtjänst, barn och unga, Täby kommun",
                        },
                    },
                    {
                        "role": [{"text": "Företrädare för verksamhet"}, {"text": "Kurator"}],
                        "member": {
                            "reference": "PractitionerRole/Jonas Vikander",
                            "display": "Jonas Vikander",
                        },
                        "onBehalfOf": {
                            "reference": "Organization/BUP Täby öppenvård",
                            "display": "BUP Täby öppenvård, Region Stockholm",
                        },
                    },
                    {
                        "role": [{"text": "Barnet eller familjen"}],
                        "member": {"display": "Vårdnadshavarna"},
                    },
                    {
                        "role": [{"text": "Ordförande"}],
                        "member": {
                            "reference": "PractitionerRole/Sara Ekholm",
                            "display": "Sara Ekholm",
                        },
                    },
                    {
                        "role": [{"text": "Sekreterare"}],
                        "member": {
                            "reference": "PractitionerRole/Jonas Vikander",
                            "display": "Jonas Vikander",
                        },
                    },
                ],
            },
            "RelatedPerson/Vårdnadshavare 1": {
                "resourceType": "RelatedPerson",
                "patient": {"reference": "Patient"},
                "relationship": [{"coding": [GUARD], "text": "Vårdnadshavare 1"}],
                "name": [{"text": "Vera Exempelsson"}],
                "telecom": [{"system": "phone", "value": "070-000 00 01"}],
            },
            "RelatedPerson/Vårdnadshavare 2": {
                "resourceType": "RelatedPerson",
                "patient": {"reference": "Patient"},
                "relationship": [{"coding": [GUARD], "text": "Vårdnadshavare 2"}],
                "name": [{"text": "Olle Exempelsson"}],
            },
            "Goal/Mål på kort sikt": {
                "resourceType": "Goal",
                "lifecycleStatus": "active",
                "category": [{"text": "Mål på kort sikt"}],
                "description": {"text": "Gå till skolan minst fyra dagar i veckan."},
                "subject": {"reference": "Patient"},
            },
            "Goal/Mål på lång sikt": {
                "resourceType": "Goal",
                "lifecycleStatus": "active",
                "category": [{"text": "Mål på lång sikt"}],
                "description": {"text": "Må bättre hemma och i skolan."},
                "subject": {"reference": "Patient"},
            },
            "Practitioner/Sara Ekholm": {
                "resourceType": "Practitioner",
                "name": [{"text": "Sara Ekholm"}],
            },
            "PractitionerRole/Sara Ekholm": {
                "resourceType": "PractitionerRole",
                "practitioner": {"reference": "Practitioner/Sara Ekholm", "display": "Sara Ekholm"},
                "organization": {
                    "reference": "Organization/Socialtjänst, barn och unga",
                    "display": "Socialtjänst, barn och unga",
                },
                "code": [{"text": "Socialsekreterare"}],
            },
            "Practitioner/Jonas Vikander": {
                "resourceType": "Practitioner",
                "name": [{"text": "Jonas Vikander"}],
            },
            "PractitionerRole/Jonas Vikander": {
                "resourceType": "PractitionerRole",
                "practitioner": {
                    "reference": "Practitioner/Jonas Vikander",
                    "display": "Jonas Vikander",
                },
                "organization": {
                    "reference": "Organization/BUP Täby öppenvård",
                    "display": "BUP Täby öppenvård",
                },
                "code": [{"text": "Kurator"}],
            },
            "Organization/Täby kommun": {
                "resourceType": "Organization",
                "name": "Täby kommun",
                "type": [{"text": "Kommun"}],
            },
            "Organization/Socialtjänst, barn och unga": {
                "resourceType": "Organization",
                "name": "Socialtjänst, barn och unga",
                "type": [{"text": "Socialtjänst (IFO)"}],
                "partOf": {"reference": "Organization/Täby kommun", "display": "Täby kommun"},
            },
            "Organization/Region Stockholm": {
                "resourceType": "Organization",
                "name": "Region Stockholm",
                "type": [{"text": "Region"}],
                "identifier": [{"system": "urn:oid:2.5.4.97", "value": "2321000016"}],
            },
            "Organization/BUP Täby öppenvård": {
                "resourceType": "Organization",
                "name": "BUP Täby öppenvård",
                "type": [{"text": "BUP (barn- och ungdomspsykiatri)"}],
                "partOf": {
                    "reference": "Organization/Region Stockholm",
                    "display": "Region Stockholm",
                },
            },
            "Consent/Vera Exempelsson": {
                "resourceType": "Consent",
                "status": "active",
                "scope": CONSENT_SCOPE,
                "category": CONSENT_CATEGORY,
                "patient": {"reference": "Patient"},
                "dateTime": "2025-01-05",
                "performer": [
                    {
                        "reference": "RelatedPerson/Vårdnadshavare 1",
                        "display": "Vera Exempelsson",
                    }
                ],
                "organization": [
                    {
                        "reference": "Organization/Socialtjänst, barn och unga",
                        "display": "Socialtjänst, barn och unga",
                    }
                ],
                "policyRule": {"text": "OSL 12 kap. – samtycke till informationsutbyte för SIP"},
                "provision": {
                    "type": "permit",
                    "period": {"start": "2025-01-05"},
                    "actor": [
                        {
                            "role": RECIPIENT,
                            "reference": {
                                "reference": "Organization/Region Stockholm",
                                "display": "Region Stockholm",
                            },
                        },
                        {
                            "role": RECIPIENT,
                            "reference": {
                                "reference": "Organization/Täby kommun",
                                "display": "Täby kommun",
                            },
                        },
                    ],
                    "provision": [
                        {
                            "type": "deny",
                            "code": [{"text": "Uppgifter om mammans sjukdom lämnas inte ut."}],
                        }
                    ],
                },
            },
            "Consent/Olle Exempelsson": {
                "resourceType": "Consent",
                "status": "inactive",
                "scope": CONSENT_SCOPE,
                "category": CONSENT_CATEGORY,
                "patient": {"reference": "Patient"},
                "dateTime": "2025-01-05",
                "performer": [
                    {
                        "reference": "RelatedPerson/Vårdnadshavare 2",
                        "display": "Olle Exempelsson",
                    }
                ],
                "organization": [
                    {
                        "reference": "Organization/Socialtjänst, barn och unga",
                        "display": "Socialtjänst, barn och unga",
                    }
                ],
                "policyRule": {"text": "OSL 12 kap. – samtycke till informationsutbyte för SIP"},
                "provision": {
                    "type": "permit",
                    "period": {"start": "2025-01-05", "end": "2025-03-01"},
                    "actor": [
                        {
                            "role": RECIPIENT,
                            "reference": {
                                "reference": "Organization/Region Stockholm",
                                "display": "Region Stockholm",
                            },
                        },
                        {
                            "role": RECIPIENT,
                            "reference": {
                                "reference": "Organization/Täby kommun",
                                "display": "Täby kommun",
                            },
                        },
                    ],
                },
            },
        },
    }


def _label(resource: dict) -> str:
    """A readable name for an entry, from its content, standing in for its generated urn."""
    kind = resource["resourceType"]
    name = {
        "Organization": lambda r: r["name"],
        "Practitioner": lambda r: r["name"][0]["text"],
        "PractitionerRole": lambda r: r["practitioner"]["display"],
        "RelatedPerson": lambda r: r["relationship"][0]["text"],
        "Goal": lambda r: r["category"][0]["text"],
        "Consent": lambda r: r["performer"][0]["display"],
    }.get(kind)
    return f"{kind}/{name(resource)}" if name else kind


def _normalised(bundle: dict) -> dict:
    """Generated urns replaced by labels everywhere, entries keyed by label, no timestamp."""
    labels = {e["fullUrl"]: _label(e["resource"]) for e in bundle["entry"]}
    assert len(set(labels.values())) == len(labels), "two entries would share a label"
    assert all(url.startswith("urn:uuid:") for url in labels)
    text = json.dumps(bundle, ensure_ascii=False)
    for url, label in labels.items():
        text = text.replace(json.dumps(url), json.dumps(label))
    data = json.loads(text)
    data["timestamp"] = "<timestamp>"
    data["entry"] = {e["fullUrl"]: e["resource"] for e in data["entry"]}
    return data


def _validate(bundle: dict) -> None:
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])


def test_the_export_is_the_bundle_written_by_hand(officer):
    plan = _plan(officer)
    bundle = fhir.plan_bundle(plan)
    _validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"][:3]] == [
        "Patient",
        "CarePlan",
        "CareTeam",
    ]
    actual, expected = _normalised(bundle), _expected(plan.number)
    assert sorted(actual["entry"]) == sorted(expected["entry"])
    for label, resource in expected["entry"].items():
        assert actual["entry"][label] == resource, label
    assert actual == expected


def test_references_resolve_within_the_bundle(officer):
    bundle = fhir.plan_bundle(_plan(officer))
    urls = {e["fullUrl"] for e in bundle["entry"]}
    text = json.dumps(bundle)
    referenced = {part.split('"')[0] for part in text.split('"reference": "')[1:]}
    assert referenced and referenced <= urls


def test_the_same_plan_gives_the_same_references(officer):
    plan = _plan(officer)
    first, second = fhir.plan_bundle(plan), fhir.plan_bundle(Plan.objects.get(pk=plan.pk))
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]


def test_a_draft_is_a_draft_with_proposed_goals(officer):
    bundle = fhir.plan_bundle(_plan(officer, status=Plan.Status.DRAFT))
    _validate(bundle)
    resources = [e["resource"] for e in bundle["entry"]]
    careplan = next(r for r in resources if r["resourceType"] == "CarePlan")
    assert careplan["status"] == "draft"
    assert careplan["meta"] == {"versionId": "1"}
    assert careplan["note"][-1] == {"text": "Version 1, utkast, inte fastställd"}
    goals = [r for r in resources if r["resourceType"] == "Goal"]
    assert [g["lifecycleStatus"] for g in goals] == ["proposed", "proposed"]


def test_the_childs_own_consent_is_performed_by_the_patient(officer):
    plan = _plan(officer)
    ConsentFactory(
        plan=plan,
        person=Consent.Person.CHILD,
        person_name="Tindra",
        child_is_mature=True,
        given_on=datetime.date(2025, 1, 6),
    )
    bundle = fhir.plan_bundle(Plan.objects.get(pk=plan.pk))
    _validate(bundle)
    patient = bundle["entry"][0]["fullUrl"]
    consents = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Consent"
    ]
    child = next(c for c in consents if c["dateTime"] == "2025-01-06")
    assert child["performer"] == [{"reference": patient, "display": "Tindra"}]
    assert "provision" not in child["provision"]  # nothing excluded: no deny provision
