"""Demo data of the quality scan and the reach analysis: the population of the demo region's
districts (``data/population_demo.csv``, the shipped example of the import format) and the
Enschede desk's self-assessments of this year and last year.

Idempotent: the figures are imported only when the file's year is not there yet, and a
self-assessment only when the desk has none for that year.
"""

from __future__ import annotations

import random
from pathlib import Path

from django.utils import timezone

from schakelpunt.accounts.models import User
from schakelpunt.insights.reach import population_import
from schakelpunt.organisations.models import Desk, PopulationFigure, SelfAssessment

POPULATION_FILE = Path(__file__).parent / "data" / "population_demo.csv"
DESK = "zorgloket-enschede"
COORDINATOR = "coordinator"

# Score and note per checklist item (schakelpunt.insights.quality.CHECKLIST): last year, this year.
ANSWERS = {
    "een_loket": (
        (
            3,
            "Wonen, zorg en welzijn aan één balie; voor schuldhulp moeten inwoners nog naar het "
            "stadskantoor.",
        ),
        (3, "Schuldhulp houdt sinds het voorjaar spreekuur in het loket."),
    ),
    "duidelijke_informatie": (
        (2, "Folders per organisatie, niet per vraag; de eigen bijdrage is voor veel inwoners onduidelijk."),
        (3, "Eén folder 'Wat kan het loket voor u doen?'; uitleg eigen bijdrage op de website."),
    ),
    "niet_van_het_kastje": (
        (2, "Na een verwijzing naar de Wmo-consulent moet de inwoner zijn verhaal opnieuw doen."),
        (3, "Warme overdracht naar de Wmo-consulent; partners koppelen vaker terug (zie de scan)."),
    ),
    "vraag_is_uitgangspunt": ((3, ""), (3, "")),
    "vraagverheldering": (
        (3, "Vraagverheldering goed; op weg helpen hangt af van wie er dienst heeft."),
        (4, "Vrijwillige cliëntondersteuners gaan mee naar het eerste gesprek bij de partner."),
    ),
    "weinig_handen": (
        (2, "Gemiddeld drie medewerkers per vraag."),
        (2, "Doorlooptijd korter, maar nog steeds vaak twee of drie medewerkers per vraag."),
    ),
    "laagdrempelig": (
        (2, "Het wijkspreekuur in De Bron wordt weinig bezocht: te veel bekenden in de wachtruimte."),
        (3, "Wijkspreekuur op afspraak in een aparte ruimte; telefonisch ook 's avonds bereikbaar."),
    ),
    "onafhankelijk": ((3, "Thuiszorg in de frontoffice verwijst ook naar andere aanbieders."), (3, "")),
    "inwoners_denken_mee": (
        (2, "Cliëntenraad één keer per jaar gesproken."),
        (3, "Cliëntenraad elk kwartaal aan tafel; link naar klachtenbureau en steunpunt mantelzorg."),
    ),
    "kwetsbare_groepen": (
        (1, "Geen zicht op wie we niet bereiken."),
        (2, "De bereikanalyse toont dat jongvolwassenen en Glanerbrug weinig worden bereikt; plan volgt."),
    ),
}


def load(*, rng: random.Random, fake, stdout) -> None:
    year = _file_year()
    if not PopulationFigure.objects.filter(year=year, municipality__code="GM0153").exists():
        result = population_import(acting_user=None, data=POPULATION_FILE.read_bytes(), record_access=False)
        stdout.write(
            f"Population figures: {result.rows} ({', '.join(f'{n} {y}' for n, y in result.scopes)})."
        )

    desk = Desk.objects.filter(slug=DESK).first()
    coordinator = User.objects.filter(username=COORDINATOR).first()
    if desk is None or coordinator is None:
        return
    this_year = timezone.localdate().year
    for index, year in enumerate((this_year - 1, this_year)):
        if SelfAssessment.objects.filter(desk=desk, year=year).exists():
            continue
        answers = {code: {"score": pair[index][0], "note": pair[index][1]} for code, pair in ANSWERS.items()}
        assessment = SelfAssessment.objects.create(
            desk=desk, year=year, answers=answers, created_by=coordinator, updated_by=coordinator
        )
        if year < this_year:  # filled in at the end of last year
            moment = timezone.now().replace(year=year, month=12, day=10)
            SelfAssessment.objects.filter(pk=assessment.pk).update(created_at=moment, updated_at=moment)
    stdout.write(f"Self-assessments of {desk}: {this_year - 1} and {this_year}.")


def _file_year() -> int:
    with POPULATION_FILE.open(encoding="utf-8") as lines:
        next(lines)
        return int(next(lines).split(";", 1)[0])
