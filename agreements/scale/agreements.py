"""Scale agreements: a signed local agreement with its bodies and members for each group."""

from __future__ import annotations

import datetime

from agreements.demo import texts
from agreements.demo.helpers import NO_AGREEMENT_GROUPS
from agreements.models import (
    Agreement,
    Body,
    BodyMember,
    LocalGroup,
    Membership,
    Party,
    Principal,
    Revision,
    RevisionSection,
    ServiceType,
    Signatory,
    Unit,
)
from agreements.services import STANDARD_BODIES
from bus_portal.scale import BATCH, ScaleContext

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
            for i, (key, heading, text) in enumerate(texts.STANDARD_SECTIONS)
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
                    contact_person=texts.person(index * 3 + position),
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
                name=texts.person(i * 5 + 1),
                title="Förvaltningschef" if i % 2 == 0 else "Verksamhetschef",
                signed_on=signed,
            )
            for i, (party, signed) in enumerate(zip(parties, signed_on, strict=True))
        ],
        batch_size=BATCH,
    )

    bodies = [
        Body(
            agreement=agreement,
            name=name,
            kind=kind,
            min_meetings_per_term=min_meetings,
            position=position,
        )
        for agreement in agreements
        for position, (name, kind, min_meetings) in enumerate(STANDARD_BODIES)
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
                    name=texts.person(n),
                    unit=unit,
                    user_id=candidates[0] if candidates else None,
                    role=BodyMember.Role.CHAIR if position == 0 else BodyMember.Role.MEMBER,
                )
            )
    BodyMember.objects.bulk_create(members, batch_size=BATCH)
    return {"agreements": len(agreements), "bodies": len(bodies), "body_members": len(members)}
