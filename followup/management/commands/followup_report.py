import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followup.models import Survey
from followup.report import build_report


class Command(BaseCommand):
    help = "Print the county report for a year as one JSON object."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, year: int, **options):
        survey = Survey.objects.filter(year=year).first()
        if survey is None:
            raise CommandError(_("There is no survey for %(year)s.") % {"year": year})
        report = build_report(survey)
        self.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
