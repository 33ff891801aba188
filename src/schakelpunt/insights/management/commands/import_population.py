from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schakelpunt.insights.reach import PopulationImportError, population_import


class Command(BaseCommand):
    help = (
        "Import population figures per district and age band from a CSV file (columns jaar, "
        "gemeentecode, wijkcode, leeftijdsgroep, inwoners; see docs/subsystems/quality-and-reach.md). "
        "All or nothing; a re-import replaces the figures of the same municipality and year."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, ; or , separated).")

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Kan {file} niet lezen: {error.strerror}") from None
        try:
            result = population_import(acting_user=None, data=data)
        except PopulationImportError as error:
            raise CommandError("Niets ingelezen.\n" + "\n".join(error.errors)) from None
        scopes = ", ".join(f"{name} {year}" for name, year in result.scopes)
        self.stdout.write(
            self.style.SUCCESS(f"{result.rows} cijfers ingelezen ({scopes}); {result.replaced} vervangen.")
        )
