"""HL7 FHIR R4 export of a SIP as plain JSON-ready dicts (validated in tests with fhir.resources R4B).

A Bundle (collection) another system can read without knowing the portal:

- Patient (the child) and one RelatedPerson per guardian (v3 RoleCode ``GUARD``);
- CarePlan: one activity per measure, performed by the unit's or principal's Organization, the
  short- and long-term goals as Goal resources (``CarePlan.goal``), the principal with overall
  responsibility as author, the plan number as identifier, and which version it is and whether it
  is agreed (``_mark_version``);
- CareTeam: each unit participant as a Practitioner with a PractitionerRole in the unit's
  Organization, which is ``partOf`` the principal's Organization;
- one Consent per recorded consent: the permitted principals as ``provision.actor`` (role
  ``IRCP``, information recipient) and what must not be shared as a nested ``deny`` provision.

References between entries are ``urn:uuid`` URIs derived from the plan and the row, so the same
plan always gives the same references. Texts are in ``language`` (Swedish unless asked).
"""

from __future__ import annotations

import uuid

from django.db.models import Max, Subquery, prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.models import Principal, Unit
from bus_portal.links import absolute_url
from sip.models import Consent, MeasureEvaluation, Plan, PlanParticipant, PlanVersion

PERSONNUMMER_SYSTEM = "urn:oid:1.2.752.129.2.1.3.1"
SAMORDNINGSNUMMER_SYSTEM = "urn:oid:1.2.752.129.2.1.3.3"
#: Swedish organisationsnummer (as in the Swedish base profiles and Inera's services).
ORGANISATIONSNUMMER_SYSTEM = "urn:oid:2.5.4.97"
ROLE_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
PARTICIPATION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"

CAREPLAN_STATUS: dict[str, str] = {
    Plan.Status.DRAFT: "draft",
    Plan.Status.AGREED: "active",
    Plan.Status.FOLLOW_UP: "active",
    Plan.Status.CLOSED: "completed",
}
#: A goal's lifecycle follows the CarePlan's status (after ``_mark_version``).
GOAL_LIFECYCLE: dict[str, str] = {
    "draft": "proposed",
    "active": "active",
    "completed": "completed",
}
ACTIVITY_STATUS: dict[str | None, str] = {
    MeasureEvaluation.Outcome.DONE: "completed",
    MeasureEvaluation.Outcome.ONGOING: "in-progress",
    MeasureEvaluation.Outcome.NOT_STARTED: "not-started",
    MeasureEvaluation.Outcome.CHANGED: "in-progress",
}
GUARDIAN_RELATIONSHIP = {"system": ROLE_CODE_SYSTEM, "code": "GUARD", "display": "guardian"}
RECIPIENT_ROLE = {
    "coding": [
        {"system": PARTICIPATION_TYPE_SYSTEM, "code": "IRCP", "display": "information recipient"}
    ]
}


def _participant_role(kind: str) -> str:
    return {
        PlanParticipant.Kind.UNIT: _("Representative of a unit"),
        PlanParticipant.Kind.FAMILY: _("Child or family"),
        PlanParticipant.Kind.OTHER: _("Other actor"),
    }[kind]


def _ref(reference: str, display: str = "") -> dict:
    return {"reference": reference, **({"display": display} if display else {})}


class _Entries:
    """The bundle's entries by reference, and the shared ones (organisations, people) added once."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.resources: dict[str, dict] = {}
        self.people: dict[str, dict] = {}
        self.organizations: dict[str, dict] = {}
        self.patient = self.urn("patient")
        self.careteam = self.urn("careteam")
        # A unit participant's PractitionerRole by the name written in the plan, so the chair,
        # the secretary and a measure's responsible person refer to the person where known.
        self.roles_by_name: dict[str, str] = {}

    def urn(self, name: str) -> str:
        key = f"bus-portalen/sip/{self.plan.pk}/{name}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"

    def principal(self, principal: Principal) -> str:
        urn = self.urn(f"principal/{principal.pk}")
        if urn not in self.organizations:
            organization: dict = {
                "resourceType": "Organization",
                "name": principal.name,
                "type": [{"text": principal.get_kind_display()}],
            }
            number = "".join(c for c in principal.org_number if c.isdigit())
            if number:
                organization["identifier"] = [
                    {"system": ORGANISATIONSNUMMER_SYSTEM, "value": number}
                ]
            self.organizations[urn] = organization
        return urn

    def unit(self, unit: Unit) -> str:
        urn = self.urn(f"unit/{unit.pk}")
        if urn not in self.organizations:
            self.organizations[urn] = {
                "resourceType": "Organization",
                "name": unit.name,
                "type": [{"text": unit.get_service_type_display()}],
                "partOf": _ref(self.principal(unit.principal), unit.principal.name),
            }
        return urn

    def practitioner_role(self, participant: PlanParticipant) -> str:
        """A unit participant as a Practitioner (the person) in a role at the unit."""
        assert participant.unit is not None
        person = self.urn(f"participant/{participant.pk}/practitioner")
        role = self.urn(f"participant/{participant.pk}/role")
        self.people[person] = {"resourceType": "Practitioner", "name": [{"text": participant.name}]}
        resource: dict = {
            "resourceType": "PractitionerRole",
            "practitioner": _ref(person, participant.name),
            "organization": _ref(self.unit(participant.unit), participant.unit.name),
        }
        if participant.role:
            resource["code"] = [{"text": participant.role}]
        self.people[role] = resource
        self.roles_by_name.setdefault(participant.name, role)
        return role

    def person(self, name: str) -> dict:
        """A reference to the participant of that name, or the name alone."""
        role = self.roles_by_name.get(name)
        return _ref(role, name) if role else {"display": name}


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
    return patient


def _related_persons(plan: Plan, entries: _Entries) -> dict[int, str]:
    """One RelatedPerson per guardian; their references by guardian number."""
    refs = {}
    for guardian in plan.child.guardians.all():
        urn = entries.urn(f"guardian/{guardian.position}")
        resource: dict = {
            "resourceType": "RelatedPerson",
            "patient": _ref(entries.patient),
            "relationship": [
                {
                    "coding": [GUARDIAN_RELATIONSHIP],
                    "text": _("Guardian %(number)s") % {"number": guardian.position},
                }
            ],
            "name": [{"text": guardian.name}],
        }
        if guardian.phone:
            resource["telecom"] = [{"system": "phone", "value": guardian.phone}]
        entries.resources[urn] = resource
        refs[guardian.position] = urn
    return refs


def _goals(plan: Plan, entries: _Entries) -> list[str]:
    """The short- and long-term goals as Goal resources (lifecycle set with the CarePlan's)."""
    refs = []
    for term, label, text in (
        ("short", _("Short-term goals"), plan.goals_short),
        ("long", _("Long-term goals"), plan.goals_long),
    ):
        if not text:
            continue
        urn = entries.urn(f"goal/{term}")
        entries.resources[urn] = {
            "resourceType": "Goal",
            "lifecycleStatus": "proposed",
            "category": [{"text": label}],
            "description": {"text": text},
            "subject": _ref(entries.patient),
        }
        refs.append(urn)
    return refs


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


def _careplan(
    plan: Plan, entries: _Entries, *, goals: list[str], status: str | None = None
) -> dict:
    """The CarePlan; ``status`` overrides the one that follows from the plan's status."""
    outcomes = _latest_outcomes(plan)
    activities = []
    for measure in plan.measures.all():
        performers = []
        if measure.unit is not None:
            performers.append(_ref(entries.unit(measure.unit), measure.provider))
        elif measure.principal is not None:
            performers.append(_ref(entries.principal(measure.principal), measure.provider))
        else:
            performers.append({"display": measure.provider})
        if measure.responsible:
            responsible = entries.person(measure.responsible)
            if "reference" in responsible:
                performers.append(responsible)
        detail: dict = {
            "status": ACTIVITY_STATUS.get(outcomes.get(measure.pk), "scheduled"),
            "description": measure.description,
            "performer": performers,
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
        "identifier": [{"system": absolute_url("sip:plan_list"), "value": plan.number}],
        "status": status or CAREPLAN_STATUS[plan.status],
        "intent": "plan",
        "title": _("Coordinated individual plan %(number)s") % {"number": plan.number},
        "description": plan.question,
        "subject": _ref(entries.patient),
        "created": timezone.localtime(plan.created_at).isoformat(),
        "period": {"start": plan.need_noticed_on.isoformat()},
        "careTeam": [_ref(entries.careteam)],
        "activity": activities,
        "note": [
            {"text": f"{label}: {text}"}
            for label, text in (
                (_("The child's own voice"), plan.child_voice),
                (_("Family and other actors"), plan.family_and_others),
                (_("Legal basis"), plan.legal_reference),
            )
            if text
        ],
    }
    if goals:
        careplan["goal"] = [_ref(goal) for goal in goals]
    if plan.overall_principal is not None:
        careplan["author"] = _ref(
            entries.principal(plan.overall_principal), plan.overall_principal.name
        )
    if plan.closed_at:
        careplan["period"]["end"] = timezone.localtime(plan.closed_at).date().isoformat()
    if plan.next_follow_up_on:
        careplan["note"].append(
            {"text": f"{_('Next follow-up')}: {plan.next_follow_up_on.isoformat()}"}
        )
    return careplan


def _careteam(plan: Plan, entries: _Entries) -> dict:
    participants = []
    for p in plan.participants.all():
        roles = [{"text": _participant_role(p.kind)}]
        if p.role:
            roles.append({"text": p.role})
        entry: dict = {"role": roles}
        if p.unit is not None:
            entry["member"] = _ref(entries.practitioner_role(p), p.name)
            entry["onBehalfOf"] = _ref(
                entries.unit(p.unit), f"{p.unit.name}, {p.unit.principal.name}"
            )
        else:
            entry["member"] = {"display": p.name}
        participants.append(entry)
    for role, name in (
        (_("Initiator"), plan.initiator),
        (_("Chair"), plan.chair),
        (_("Secretary"), plan.secretary),
    ):
        if name:
            participants.append({"role": [{"text": role}], "member": entries.person(name)})
    return {
        "resourceType": "CareTeam",
        "status": "inactive" if plan.status == Plan.Status.CLOSED else "active",
        "name": _("SIP team %(number)s") % {"number": plan.number},
        "subject": _ref(entries.patient),
        "participant": participants,
    }


def _consent(plan: Plan, consent: Consent, entries: _Entries, guardians: dict[int, str]) -> dict:
    if consent.withdrawn_on:
        status = "inactive"
    elif consent.is_valid:
        status = "active"
    else:
        status = "inactive"
    # The child, or the guardian of that number if registered; otherwise the name as written.
    given_by = {
        Consent.Person.CHILD: entries.patient,
        Consent.Person.GUARDIAN_1: guardians.get(1),
        Consent.Person.GUARDIAN_2: guardians.get(2),
    }.get(consent.person)
    performer = (
        _ref(given_by, consent.person_name) if given_by else {"display": consent.person_name}
    )
    provision: dict = {
        "type": "permit",
        "period": {"start": consent.given_on.isoformat()},
        # The principals that may share with each other: each one receives the information.
        "actor": [
            {"role": RECIPIENT_ROLE, "reference": _ref(entries.principal(p), p.name)}
            for p in consent.principals.all()
        ],
    }
    if consent.valid_until:
        provision["period"]["end"] = consent.valid_until.isoformat()
    if consent.withdrawn_on:
        provision["period"]["end"] = consent.withdrawn_on.isoformat()
    if consent.exclusions:
        # Written in the family's words: there is no code for it, so the text carries it.
        provision["provision"] = [{"type": "deny", "code": [{"text": consent.exclusions}]}]
    return {
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
        "patient": _ref(entries.patient),
        "dateTime": consent.given_on.isoformat(),
        "performer": [performer],
        # The unit that recorded the consent and holds the plan.
        "organization": [_ref(entries.unit(plan.owner_unit), plan.owner_unit.name)],
        "policyRule": {"text": _("OSL chapter 12 – consent to exchange information for a SIP")},
        "provision": provision,
    }


def _mark_version(plan: Plan, careplan: dict) -> None:
    """Say which version the CarePlan is and whether it is agreed (issue 12, item 3).

    The export is the plan's working copy: a draft, or a revision not yet agreed, is the next
    version and "draft"; otherwise it is the latest version, agreed.
    """
    latest = plan.versions.aggregate(n=Max("number"))["n"] or 0
    number, agreed = plan.working_copy_version(latest)
    careplan["meta"] = {"versionId": str(number)}
    if not agreed and plan.status != Plan.Status.CLOSED:
        careplan["status"] = "draft"
    state = "fastställd" if agreed else "utkast, inte fastställd"
    careplan.setdefault("note", []).append({"text": f"Version {number}, {state}"})


def plan_bundle(plan: Plan, *, language: str = "sv") -> dict:
    """The plan as a FHIR R4 Bundle of type collection, its texts in ``language``."""
    prefetch_related_objects(
        [plan],
        "child__guardians",
        "participants__unit__principal",
        "measures__unit__principal",
        "measures__principal",
        "consents__principals",
        "owner_unit__principal",
        "overall_principal",
    )
    entries = _Entries(plan)
    with translation.override(language):
        patient = _patient(plan)
        guardians = _related_persons(plan, entries)
        goals = _goals(plan, entries)
        # Before the CarePlan: a measure's responsible person refers to a participant's role.
        careteam = _careteam(plan, entries)
        careplan = _careplan(plan, entries, goals=goals)
        _mark_version(plan, careplan)
        consents = {
            entries.urn(f"consent/{consent.pk}"): _consent(plan, consent, entries, guardians)
            for consent in plan.consents.all()
        }
    for urn in goals:
        entries.resources[urn]["lifecycleStatus"] = GOAL_LIFECYCLE[careplan["status"]]
    resources = {
        entries.patient: patient,
        entries.urn("careplan"): careplan,
        entries.careteam: careteam,
        **entries.resources,
        **entries.people,
        **entries.organizations,
        **consents,
    }
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.localtime().isoformat(),
        "entry": [{"fullUrl": urn, "resource": resource} for urn, resource in resources.items()],
    }
