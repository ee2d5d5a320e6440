from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followup.importing import ImportFailed, import_responses
from followup.models import Survey


class Command(BaseCommand):
    help = "Import county survey responses from a CSV file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("file", type=Path)

    def handle(self, *args, year: int, file: Path, **options):
        survey = Survey.objects.filter(year=year).first()
        if survey is None:
            raise CommandError(_("There is no survey for %(year)s.") % {"year": year})
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = import_responses(survey=survey, content=content)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported %(total)s responses (%(created)s new, %(updated)s replaced).")
                % {"total": result.total, "created": result.created, "updated": result.updated}
            )
        )
