"""Key deviation pages for `make bench` (see bench/targets/__init__.py)."""

from bench.targets import target
from deviations.models import Deviation


def targets() -> list[dict]:
    rows = [
        target("Deviation list (officer)", "officer", "deviations:list"),
        target("Deviation queue (secretariat)", "secretariat", "deviations:queue"),
        target("Deviation statistics (secretariat)", "secretariat", "deviations:statistics"),
        target("Deviation statistics PDF", "secretariat", "deviations:statistics_pdf", "pdf"),
    ]
    own = Deviation.objects.filter(reporter__username="officer").order_by("pk").first()
    if own:
        rows.append(target("Deviation detail (officer)", "officer", "deviations:detail", pk=own.pk))
    return rows
