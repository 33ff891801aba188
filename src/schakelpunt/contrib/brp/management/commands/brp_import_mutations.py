"""Read a mutation file: ``schakelpunt brp_import_mutations FILE``.

CSV (``;`` or ``,``) with a header: ``bsn;soort;datum;straat;huisnummer;toevoeging;postcode;
woonplaats;gemeente``. ``soort`` is verhuizing, emigratie, overlijden, geheimhouding_aan or
geheimhouding_uit; ``datum`` is JJJJ-MM-DD; the address columns are needed for a verhuizing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schakelpunt.contrib.brp.services import mutations_import, summary_labels


class Command(BaseCommand):
    help = (
        "Apply a file of register mutations; wrong lines are reported with their number and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                result = mutations_import(lines=handle, source_name=file.name)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        for key, label in summary_labels():
            if result.run.counts.get(key):
                self.stdout.write(f"{label}: {result.run.counts[key]}")
        for line, reason in result.errors:
            self.stderr.write(f"regel {line}: {reason}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} regel(s) niet verwerkt.")
