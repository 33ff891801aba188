"""``schakelpunt import_hsds PATH``: import an HSDS 3.1 dataset into the social map."""

from django.core.management.base import BaseCommand, CommandError

from schakelpunt.directory.hsds.importer import hsds_import


class Command(BaseCommand):
    help = (
        "Importeer een HSDS 3.1-dataset in de sociale kaart: een JSON-bestand (een dienst met "
        "geneste gegevens, een lijst, of een pagina met 'contents'), een map met JSON-bestanden, "
        "of de tabelvorm (een map met datapackage.json en CSV-bestanden, of één JSON-bestand "
        "met een lijst per CSV-naam). Ongeldige records worden gemeld en overgeslagen; twee keer "
        "dezelfde dataset inlezen verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Bestand of map met de HSDS-gegevens.")
        parser.add_argument(
            "--progress-every",
            type=int,
            default=1000,
            help="Een voortgangsregel na elk zoveelste record (standaard 1000).",
        )

    def handle(self, *args, **options):
        def progress(text: str) -> None:
            self.stdout.write(text)

        result = hsds_import(
            path=options["path"], progress=progress, progress_every=options["progress_every"]
        )
        for note in result.notes:
            self.stdout.write(f"Let op: {note}")
        for issue in result.warnings:
            self.stdout.write(self.style.WARNING(f"WAARSCHUWING {issue}"))
        for issue in result.errors:
            self.stderr.write(f"FOUT {issue}")
        if result.not_kept:
            kept = ", ".join(f"{table} ({count})" for table, count in sorted(result.not_kept.items()))
            self.stdout.write(f"Niet opgeslagen (de sociale kaart houdt ze niet bij): {kept}")
        summary = (
            f"Klaar: {result.summary()}; {len(result.warnings)} waarschuwingen, {len(result.errors)} fouten."
        )
        self.stdout.write(self.style.SUCCESS(summary) if result.ok else summary)
        if not result.ok:
            raise CommandError(
                f"{len(result.errors)} fouten: de ongeldige records zijn niet ingelezen, de geldige wel."
            )
