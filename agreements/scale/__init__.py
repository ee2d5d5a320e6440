"""Agreements at scale (see bus_portal/scale.py): the directory, agreements with bodies, meetings.

``seed`` is registered as agreements' scale seeder in ``AgreementsConfig.ready()``; the steps are
``directory.seed_directory``, ``agreements.seed_agreements`` and ``meetings.seed_meetings``.
"""

from __future__ import annotations

from agreements.scale.agreements import seed_agreements
from agreements.scale.directory import seed_directory
from agreements.scale.meetings import seed_meetings
from bus_portal.scale import ScaleContext

__all__ = ["seed", "seed_agreements", "seed_directory", "seed_meetings"]


def seed(ctx: ScaleContext) -> dict[str, int]:
    """The directory, then an agreement with bodies for every group, then their meetings."""
    counts = seed_directory(ctx)
    counts.update(seed_agreements(ctx))
    counts.update(seed_meetings(ctx))
    return counts
