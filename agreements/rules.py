"""The meeting rules of the seeds, made visible: pure functions over already-fetched rows.

* at least N meetings per body and term (VT Jan–Jun, HT Jul–Dec);
* chair and convenor alternate between principals by meeting place: flag the same principal
  chairing twice in a row;
* the same principal chairs the steering group and the working group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from agreements.models import Body, Meeting, Term


@dataclass(frozen=True)
class TermCompliance:
    term: Term
    held: int
    required: int

    @property
    def met(self) -> bool:
        return self.held >= self.required

    @property
    def applies(self) -> bool:
        return self.required > 0


def counted(meetings: Iterable[Meeting]) -> list[Meeting]:
    """The meetings the rules count: a meeting withdrawn as logged by mistake does not."""
    return [m for m in meetings if m.withdrawn_at is None]


def term_compliance(body: Body, meetings: Iterable[Meeting], term: Term) -> TermCompliance:
    held = sum(1 for m in counted(meetings) if m.body_id == body.pk and m.held_on in term)
    return TermCompliance(term=term, held=held, required=body.min_meetings_per_term)


def repeated_chairs(meetings: Iterable[Meeting]) -> list[Meeting]:
    """Meetings chaired by the same principal as the body's previous meeting (oldest first)."""
    flagged = []
    previous = None
    for meeting in sorted(counted(meetings), key=lambda m: (m.held_on, m.pk or 0)):
        principal = meeting.chair_principal
        if previous is not None and principal is not None and principal == previous:
            flagged.append(meeting)
        previous = principal
    return flagged


@dataclass(frozen=True)
class SameChairCheck:
    term: Term
    steering_principal: object | None
    working_principal: object | None

    @property
    def known(self) -> bool:
        return self.steering_principal is not None and self.working_principal is not None

    @property
    def met(self) -> bool:
        return not self.known or self.steering_principal == self.working_principal


def same_chair_check(
    bodies: Iterable[Body], meetings: Iterable[Meeting], term: Term
) -> SameChairCheck:
    """Compare who chaired the latest steering and working-group meeting of the term."""
    bodies = list(bodies)
    steering_ids = {b.pk for b in bodies if b.is_steering}
    working_ids = {b.pk for b in bodies if b.kind == Body.Kind.WORKING}
    in_term = sorted(
        (m for m in counted(meetings) if m.held_on in term), key=lambda m: (m.held_on, m.pk or 0)
    )
    steering = [m for m in in_term if m.body_id in steering_ids]
    working = [m for m in in_term if m.body_id in working_ids]
    return SameChairCheck(
        term=term,
        steering_principal=steering[-1].chair_principal if steering else None,
        working_principal=working[-1].chair_principal if working else None,
    )


def missing_services(service_types: Iterable[str]) -> list[str]:
    """Keys of REQUIRED_REPRESENTATION that none of the given service types covers."""
    from agreements.models import REQUIRED_REPRESENTATION

    present = set(service_types)
    return [key for key, services in REQUIRED_REPRESENTATION.items() if not present & set(services)]
