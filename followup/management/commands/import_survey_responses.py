from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from agreements.models import LocalGroup
from bus_portal.errors import DomainError
from followup.importing import Action, ImportFailed, import_responses, parse, plan
from followup.models import Survey


class Command(BaseCommand):
    help = (
        "Import county survey responses from a CSV file into an open survey (all rows or none). "
        "A group's answer given in the portal is kept unless the group is named with "
        "--replace-portal-answer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what each row would do; write nothing."
        )
        parser.add_argument(
            "--replace-portal-answer",
            action="append",
            default=[],
            metavar="GROUP",
            help="Replace this group's answer given in the portal with the file's (repeatable).",
        )
        parser.add_argument("file", type=Path)

    def handle(self, *args, year: int, file: Path, dry_run: bool, **options):
        survey = Survey.objects.filter(year=year).first()
        if survey is None:
            raise CommandError(_("There is no survey for %(year)s.") % {"year": year})
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        names = options["replace_portal_answer"]
        groups = {g.name.casefold(): g.pk for g in LocalGroup.objects.filter(name__in=names)}
        unknown = [name for name in names if name.casefold() not in groups]
        if unknown:
            raise CommandError(_("Unknown local group “%(name)s”.") % {"name": ", ".join(unknown)})
        try:
            if dry_run:
                planned = plan(survey, parse(content, survey=survey))
                for row in planned.rows:
                    kept = (
                        row.action == Action.CONFLICT and row.parsed.group.pk not in groups.values()
                    )
                    line = (
                        f"{row.parsed.row}: {row.parsed.group.name} ({row.parsed.participants}): "
                    )
                    line += row.label
                    if kept:
                        line += " – " + _("the answer given in the portal is kept")
                    self.stdout.write(line)
                return
            result = import_responses(
                survey=survey, content=content, replace_groups=set(groups.values())
            )
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported %(total)s responses (%(created)s new, %(updated)s replaced "
                    "imports, %(replaced_web)s replaced portal answers); %(kept_web)s portal "
                    "answers kept."
                )
                % {
                    "total": result.total,
                    "created": result.created,
                    "updated": result.updated,
                    "replaced_web": result.replaced_web,
                    "kept_web": result.kept_web,
                }
            )
        )
