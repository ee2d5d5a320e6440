"""Print documents for deviations: the yearly compilation as PDF."""

from __future__ import annotations

import dataclasses

from django.utils import timezone

from bus_portal.charts import pdf_image
from bus_portal.documents import Document, render_pdf
from deviations.statistics import Compilation


def yearly_report(compilation: Compilation, *, user) -> Document:
    """The secretariat's yearly compilation: charts with the numbers as tables beside them."""
    charts = {name: pdf_image(svg) for name, svg in compilation.charts.items()}
    return render_pdf(
        "deviations/pdf/yearly_report.html",
        {
            "c": dataclasses.replace(compilation, charts=charts),
            "pdf": True,
            "printed_at": timezone.localtime(),
            "printed_by": user,
        },
        filename=f"avvikelser-sammanstallning-{compilation.year}",
    )
