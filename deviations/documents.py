"""Documents for deviations: the yearly compilation as a PDF report and as a CSV of its figures."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal.charts import pdf_image
from bus_portal.documents import Document, render_csv, render_pdf
from deviations.statistics import Compilation, csv_rows

if TYPE_CHECKING:
    from bus_portal.models import User


def yearly_report(compilation: Compilation, *, user: User) -> Document:
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


def yearly_csv(compilation: Compilation) -> Document:
    """The yearly compilation's figures as flat rows: section; row; column; value."""
    return render_csv(
        [_("Section"), _("Row"), _("Column"), _("Value")],
        csv_rows(compilation),
        filename=f"avvikelser-{compilation.year}.csv",
    )
