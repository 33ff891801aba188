"""``schakelpunt export_hsds DIR``: write the social map as an HSDS 3.1 datapackage."""

from django.core.management.base import BaseCommand, CommandError

from schakelpunt.directory.hsds.exporter import export_hsds


class Command(BaseCommand):
    help = (
        "Schrijf de hele sociale kaart als HSDS 3.1-datapackage (datapackage.json en CSV-bestanden) "
        "in een map. Elke regel wordt gecontroleerd tegen de officiële schema's. Met --json ook "
        "services.json: elke dienst als genest document."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="De map waarin het datapackage komt (wordt aangemaakt).")
        parser.add_argument(
            "--json", action="store_true", help="Schrijf ook services.json (geneste diensten)."
        )

    def handle(self, *args, **options):
        result = export_hsds(
            directory_path=options["directory"], nested_json=options["json"], progress=self.stdout.write
        )
        for problem in result.problems:
            self.stderr.write(f"FOUT {problem}")
        if not result.ok:
            raise CommandError(f"{len(result.problems)} regels voldoen niet aan de HSDS-schema's.")
        total = sum(result.rows.values())
        self.stdout.write(self.style.SUCCESS(f"Klaar: {total} regels in {len(result.files)} bestanden."))
