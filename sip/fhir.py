"""HL7 FHIR R4 export of a SIP as plain JSON-ready dicts (validated in tests with fhir.resources).

Bundle (collection) with Patient, CarePlan (one activity per measure), CareTeam (participants and
their roles) and one Consent per recorded consent.
"""

from __future__ import annotations

import uuid

from django.db.models import Subquery
from django.utils import timezone

from sip.models import Consent, MeasureEvaluation, Plan, PlanParticipant, PlanVersion

PERSONNUMMER_SYSTEM = "urn:oid:1.2.752.129.2.1.3.1"
SAMORDNINGSNUMMER_SYSTEM = "urn:oid:1.2.752.129.2.1.3.3"

CAREPLAN_STATUS: dict[str, str] = {
    Plan.Status.DRAFT: "draft",
    Plan.Status.AGREED: "active",
    Plan.Status.FOLLOW_UP: "active",
    Plan.Status.CLOSED: "completed",
}
ACTIVITY_STATUS: dict[str | None, str] = {
    MeasureEvaluation.Outcome.DONE: "completed",
    MeasureEvaluation.Outcome.ONGOING: "in-progress",
    MeasureEvaluation.Outcome.NOT_STARTED: "not-started",
    MeasureEvaluation.Outcome.CHANGED: "in-progress",
}
PARTICIPANT_ROLE: dict[str, str] = {
    PlanParticipant.Kind.UNIT: "Företrädare för verksamhet",
    PlanParticipant.Kind.FAMILY: "Barn eller familj",
    PlanParticipant.Kind.OTHER: "Annan aktör",
}


def _urn(plan: Plan, name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'bus-portalen/sip/{plan.pk}/{name}')}"


def _patient(plan: Plan) -> dict:
    child = plan.child
    patient: dict = {
        "resourceType": "Patient",
        "name": [{"family": child.last_name, "given": [child.first_name]}],
    }
    if child.personal_number:
        system = SAMORDNINGSNUMMER_SYSTEM if child.is_coordination_number else PERSONNUMMER_SYSTEM
        patient["identifier"] = [{"system": system, "value": child.personal_number}]
    if child.birth_date:
        patient["birthDate"] = child.birth_date.isoformat()
    if child.protected_identity:
        patient["meta"] = {
            "security": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
                    "code": "R",
                    "display": "restricted",
                }
            ]
        }
    contacts = [
        {
            "relationship": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v2-0131",
                            "code": "N",
                            "display": "Next-of-Kin",
                        }
                    ],
                    "text": f"Vårdnadshavare {g.position}",
                }
            ],
            "name": {"text": g.name},
            **({"telecom": [{"system": "phone", "value": g.phone}]} if g.phone else {}),
        }
        for g in child.guardians.all()
    ]
    if contacts:
        patient["contact"] = contacts
    return patient


def _latest_outcomes(plan: Plan) -> dict[int, str]:
    """Each measure's outcome at the latest follow-up (none before the first one)."""
    latest = (
        plan.versions.filter(kind=PlanVersion.Kind.FOLLOW_UP).order_by("-number").values("pk")[:1]
    )
    return dict(
        MeasureEvaluation.objects.filter(version=Subquery(latest))
        .order_by()
        .values_list("measure_id", "outcome")
    )


def _careplan(plan: Plan, refs: dict) -> dict:
    outcomes = _latest_outcomes(plan)
    activities = []
    for measure in plan.measures.all():
        detail: dict = {
            "status": ACTIVITY_STATUS.get(outcomes.get(measure.pk), "scheduled"),
            "description": measure.description,
            "performer": [{"display": measure.provider}],
        }
        if measure.starts_on or measure.ends_on:
            detail["scheduledPeriod"] = {
                k: v.isoformat()
                for k, v in (("start", measure.starts_on), ("end", measure.ends_on))
                if v
            }
        activities.append({"detail": detail})
    careplan: dict = {
        "resourceType": "CarePlan",
        "status": CAREPLAN_STATUS[plan.status],
        "intent": "plan",
        "title": f"Samordnad individuell plan {plan.number}",
        "description": plan.question,
        "subject": {"reference": refs["patient"]},
        "created": timezone.localtime(plan.created_at).isoformat(),
        "period": {"start": plan.need_noticed_on.isoformat()},
        "careTeam": [{"reference": refs["careteam"]}],
        "activity": activities,
        "note": [
            {"text": f"{label}: {text}"}
            for label, text in (
                ("Mål på kort sikt", plan.goals_short),
                ("Mål på lång sikt", plan.goals_long),
                ("Barnets egen röst", plan.child_voice),
                ("Huvudansvar", str(plan.overall_principal or "")),
                ("Lagrum", plan.legal_reference),
            )
            if text
        ],
    }
    if plan.overall_principal is not None:
        careplan["author"] = {"display": plan.overall_principal.name}
    if plan.closed_at:
        careplan["period"]["end"] = timezone.localtime(plan.closed_at).date().isoformat()
    if plan.next_follow_up_on:
        careplan["note"].append({"text": f"Nästa uppföljning: {plan.next_follow_up_on}"})
    return careplan


def _careteam(plan: Plan, refs: dict) -> dict:
    participants = []
    for p in plan.participants.all():
        roles = [{"text": PARTICIPANT_ROLE[p.kind]}]
        if p.role:
            roles.append({"text": p.role})
        entry: dict = {"role": roles, "member": {"display": p.name}}
        if p.unit is not None:
            entry["onBehalfOf"] = {"display": f"{p.unit.name}, {p.unit.principal.name}"}
        participants.append(entry)
    for role, name in (
        ("Initiativtagare", plan.initiator),
        ("Ordförande", plan.chair),
        ("Sekreterare", plan.secretary),
    ):
        if name:
            participants.append({"role": [{"text": role}], "member": {"display": name}})
    return {
        "resourceType": "CareTeam",
        "status": "inactive" if plan.status == Plan.Status.CLOSED else "active",
        "name": f"SIP-team {plan.number}",
        "subject": {"reference": refs["patient"]},
        "participant": participants,
    }


def _consent(plan: Plan, consent: Consent, refs: dict) -> dict:
    if consent.withdrawn_on:
        status = "inactive"
    elif consent.is_valid:
        status = "active"
    else:
        status = "inactive"
    provision: dict = {"type": "permit", "period": {"start": consent.given_on.isoformat()}}
    if consent.valid_until:
        provision["period"]["end"] = consent.valid_until.isoformat()
    if consent.withdrawn_on:
        provision["period"]["end"] = consent.withdrawn_on.isoformat()
    resource: dict = {
        "resourceType": "Consent",
        "status": status,
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                }
            ]
        },
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": {"reference": refs["patient"]},
        "dateTime": consent.given_on.isoformat(),
        "performer": [{"display": f"{consent.get_person_display()}: {consent.person_name}"}],
        "organization": [{"display": p.name} for p in consent.principals.all()],
        "policyRule": {"text": "OSL 12 kap. – samtycke till informationsutbyte för SIP"},
        "provision": provision,
    }
    if consent.exclusions:
        resource["provision"]["provision"] = [
            {"type": "deny", "purpose": [{"display": consent.exclusions[:200]}]}
        ]
    return resource


def plan_bundle(plan: Plan) -> dict:
    """The plan as a FHIR R4 Bundle of type collection."""
    refs = {"patient": _urn(plan, "patient"), "careteam": _urn(plan, "careteam")}
    entries = [
        {"fullUrl": refs["patient"], "resource": _patient(plan)},
        {"fullUrl": _urn(plan, "careplan"), "resource": _careplan(plan, refs)},
        {"fullUrl": refs["careteam"], "resource": _careteam(plan, refs)},
    ]
    for consent in plan.consents.all():
        entries.append(
            {
                "fullUrl": _urn(plan, f"consent/{consent.pk}"),
                "resource": _consent(plan, consent, refs),
            }
        )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.localtime().isoformat(),
        "entry": entries,
    }
