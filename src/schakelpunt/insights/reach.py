"""Reach analysis: how many residents of each district and age band the desk reached, per
1,000 inhabitants, and which districts and groups it reaches too little.

Two halves:

- :func:`population_import`, the one way population figures get in (the command
  ``schakelpunt import_population`` and the upload form call it): a CSV file, all or nothing,
  a re-import of a municipality and year replaces that year's figures.
- :func:`reach_table`, the read: residents reached (distinct residents with a contact in the
  period) per district and age band, the rate per 1,000 inhabitants, the average rate and the
  under-reached rule, with the same small-cell suppression as the dashboards for viewers who
  may only see aggregates. The residents reached come from ``ReachFigure`` (counted by the
  refresh for calendar years and the default period, :func:`reach_rows`) when the period is
  there and at most one desk is chosen, else from the registration.

The format and every definition are in docs/subsystems/quality-and-reach.md.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.contacts.models import Contact
from schakelpunt.insights.definitions import AGE_BANDS, age_band
from schakelpunt.insights.models import SMALL_CELL, ReachFigure, SummarisedPeriod
from schakelpunt.insights.periods import Period
from schakelpunt.insights.selectors import Scope, insight_scope
from schakelpunt.insights.tables import (
    COUNT,
    NOT_APPLICABLE,
    SUPPRESSED_TEXT,
    TOTAL_LABEL,
    Cell,
    Column,
    Row,
    Table,
)
from schakelpunt.organisations.models import Desk, District, Municipality, PopulationFigure
from schakelpunt.organisations.selectors import desks_visible_to

# --- the file format ---------------------------------------------------------------------------

# Column names in the header (any order, any case; other columns, such as "wijknaam", are
# ignored so that a file can carry names for the people who read it).
COLUMN_YEAR = "jaar"
COLUMN_MUNICIPALITY = "gemeentecode"
COLUMN_DISTRICT = "wijkcode"
COLUMN_AGE_BAND = "leeftijdsgroep"
COLUMN_INHABITANTS = "inwoners"
COLUMNS = [COLUMN_YEAR, COLUMN_MUNICIPALITY, COLUMN_DISTRICT, COLUMN_AGE_BAND, COLUMN_INHABITANTS]

MAX_FILE_BYTES = 2 * 1024 * 1024  # a large city has a few hundred districts × 7 bands: far less
MAX_ERRORS = 50  # listed in one message; more are summarised
AGE_BAND_CODES = [code for code, _low, _high, _label in AGE_BANDS]


class PopulationImportError(Exception):
    """The file was refused; nothing was changed. ``errors`` name the line and the reason."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class PopulationImportResult:
    rows: int
    replaced: int  # figures of the same municipalities and years that the import replaced
    scopes: list[tuple[str, int]]  # (municipality name, year), sorted


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if len(data) > MAX_FILE_BYTES:
        raise PopulationImportError(
            [_("Het bestand is groter dan 2 MB; dat is geen bestand met bevolkingscijfers.")]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PopulationImportError(
            [_("Het bestand is geen UTF-8-tekst. Sla het op als CSV UTF-8 en probeer het opnieuw.")]
        ) from None


def _delimiter(first_line: str) -> str:
    # Dutch spreadsheets write semicolons; accept commas too.
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def _parse_int(text: str) -> int | None:
    """A whole number of 0 or more, digits only (no thousands separators)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _allowed_municipalities(acting_user) -> set[int] | None:
    """None: every municipality (the command line, and the functional administrator, who
    maintains the municipalities)."""
    if acting_user is None or acting_user.has_perm("organisations.change_municipality"):
        return None
    return set(
        Municipality.objects.filter(desks__in=desks_visible_to(acting_user)).values_list("pk", flat=True)
    )


def _parse(text: str, *, acting_user) -> list[dict[str, Any]]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise PopulationImportError(
            [_("Regel 1: het bestand is leeg; de eerste regel moet de kolomnamen bevatten.")]
        )
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0]))
    header = [name.strip().lower() for name in next(reader)]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise PopulationImportError(
            [
                _("Regel 1: kolom %(missing)s ontbreekt. De eerste regel moet zijn: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": ";".join(COLUMNS)}
            ]
        )
    index = {name: header.index(name) for name in COLUMNS}
    municipalities = {m.code: m for m in Municipality.objects.all()}
    districts = {d.code: d for d in District.objects.all()}
    allowed = _allowed_municipalities(acting_user)
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[int, int, str, int], int] = {}
    this_year = timezone.localdate().year

    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue  # blank lines (often one at the end) are not data
        if len(values) < len(header):
            errors.append(
                _("Regel %(line)s: %(found)s kolommen, verwacht %(expected)s.")
                % {"line": line, "found": len(values), "expected": len(header)}
            )
            continue
        cell = {name: values[position].strip() for name, position in index.items()}
        reasons = []
        year = _parse_int(cell[COLUMN_YEAR])
        if year is None or not 1900 <= year <= this_year + 1:
            reasons.append(_("jaar ‘%(value)s’ is geen jaartal") % {"value": cell[COLUMN_YEAR]})
        municipality = municipalities.get(cell[COLUMN_MUNICIPALITY].upper())
        if municipality is None:
            reasons.append(_("gemeentecode ‘%(value)s’ is onbekend") % {"value": cell[COLUMN_MUNICIPALITY]})
        elif allowed is not None and municipality.pk not in allowed:
            reasons.append(
                _("u mag geen cijfers inlezen voor gemeente %(name)s (geen gemeente van uw loket)")
                % {"name": municipality.name}
            )
        district = districts.get(cell[COLUMN_DISTRICT].upper())
        if district is None:
            reasons.append(_("wijkcode ‘%(value)s’ is onbekend") % {"value": cell[COLUMN_DISTRICT]})
        elif municipality is not None and district.municipality_id != municipality.pk:
            reasons.append(
                _("wijk %(district)s ligt niet in gemeente %(municipality)s")
                % {"district": district.code, "municipality": municipality.code}
            )
        band = cell[COLUMN_AGE_BAND].replace(" ", "").replace("–", "-")
        if band not in AGE_BAND_CODES:
            reasons.append(
                _("leeftijdsgroep ‘%(value)s’ is onbekend (kies uit %(bands)s)")
                % {"value": cell[COLUMN_AGE_BAND], "bands": ", ".join(AGE_BAND_CODES)}
            )
        inhabitants = _parse_int(cell[COLUMN_INHABITANTS])
        if inhabitants is None:
            reasons.append(
                _("inwoners ‘%(value)s’ is geen geheel getal van 0 of meer")
                % {"value": cell[COLUMN_INHABITANTS]}
            )
        if not reasons:
            key = (municipality.pk, district.pk, band, year)
            if key in seen:
                reasons.append(
                    _("wijk %(district)s, leeftijdsgroep %(band)s, %(year)s staat ook op regel %(other)s")
                    % {"district": district.code, "band": band, "year": year, "other": seen[key]}
                )
            seen[key] = line
        if reasons:
            errors.append(_("Regel %(line)s: %(reasons)s.") % {"line": line, "reasons": "; ".join(reasons)})
            continue
        rows.append(
            {
                "municipality": municipality,
                "district": district,
                "age_band": band,
                "year": year,
                "inhabitants": inhabitants,
            }
        )
    if errors:
        if len(errors) > MAX_ERRORS:
            more = len(errors) - MAX_ERRORS
            errors = [*errors[:MAX_ERRORS], _("En nog %(count)s regels met fouten.") % {"count": more}]
        raise PopulationImportError(errors)
    if not rows:
        raise PopulationImportError([_("Het bestand bevat geen cijfers: alleen de regel met kolomnamen.")])
    return rows


def population_import(
    *, acting_user, data: bytes | str, request=None, record_access: bool = True
) -> PopulationImportResult:
    """Read population figures from CSV ``data`` and store them, all or nothing.

    Every (municipality, year) in the file is replaced as a whole: figures of that municipality
    and year that the file does not repeat are removed, so importing the same file twice gives
    the same figures. Any bad line refuses the whole file with a message per line; then nothing
    is changed. ``acting_user`` None is the command line (every municipality); a user may import
    only for the municipalities of the desks they work with. ``record_access`` False only for
    the demo data, which writes no access-log rows.
    """
    if acting_user is not None and not acting_user.has_perm("organisations.add_populationfigure"):
        raise PopulationImportError([_("U mag geen bevolkingscijfers inlezen.")])
    rows = _parse(_decode(data), acting_user=acting_user)
    scopes = sorted({(row["municipality"].pk, row["year"]) for row in rows})
    names = {row["municipality"].pk: row["municipality"].name for row in rows}
    now = timezone.now()
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    with transaction.atomic():
        replace = Q()
        for municipality_id, year in scopes:
            replace |= Q(municipality_id=municipality_id, year=year)
        replaced, _detail = PopulationFigure.objects.filter(replace).delete()
        PopulationFigure.objects.bulk_create(
            [PopulationFigure(**row, imported_at=now, imported_by=user) for row in rows]
        )
        if record_access:
            access_log_record(
                acting_user=user,
                action=Action.CREATE,
                object_type="organisations.populationfigure",
                object_id=",".join(f"{municipality_id}/{year}" for municipality_id, year in scopes)[:64],
                request=request,
                purpose="population_import",
            )
    return PopulationImportResult(
        rows=len(rows), replaced=replaced, scopes=sorted((names[m], year) for m, year in scopes)
    )


# --- the analysis ---------------------------------------------------------------------------------

RATE = "rate"  # per 1,000 inhabitants
UNDER_REACHED_SHARE = 0.5  # under-reached: below half of the average rate
UNKNOWN_AGE = "onbekend"
TOTAL_KEY = "totaal"
BAND_KEYS = [code for code, _low, _high, _label in AGE_BANDS]
PART_KEYS = [*BAND_KEYS, UNKNOWN_AGE]


@dataclass
class RateCell(Cell):
    """Residents reached per 1,000 inhabitants. ``under``: below the under-reached line."""

    inhabitants: int | None = None
    under: bool = False

    def display(self) -> str:
        if self.suppressed:
            return SUPPRESSED_TEXT
        if self.value is None:
            return NOT_APPLICABLE
        return f"{self.value:.1f}".replace(".", ",")

    def export_value(self) -> Any:
        if self.suppressed:
            return SUPPRESSED_TEXT
        return "" if self.value is None else round(self.value, 1)


@dataclass
class Reach:
    period: Period
    scope: Scope
    desks: list[Desk]  # chosen; empty: every desk in scope
    municipalities: list[Municipality]  # whose districts are the rows
    years: dict[Municipality, int | None]  # the year of the population figures used
    counts: Table
    rates: Table
    population: Table
    outside: Cell  # residents reached without a district in the municipalities
    average: float | None
    threshold: float | None
    suppressed: bool
    under_reached: list[str] = field(default_factory=list)
    counted_at: datetime.datetime | None = None  # when the refresh counted them; None: read now

    @property
    def tables(self) -> list[Table]:
        return [self.counts, self.rates, self.population]

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)

    @property
    def has_population(self) -> bool:
        return any(year is not None for year in self.years.values())

    @property
    def threshold_display(self) -> str:
        return RateCell(self.threshold, RATE).display()

    @property
    def average_display(self) -> str:
        return self.rates.total.cell(TOTAL_KEY).display() if self.rates.total else NOT_APPLICABLE


def population_years(municipality_ids: list[int], last_year: int) -> dict[int, int | None]:
    """Per municipality, the year of the figures used for a period ending in ``last_year``: that
    year, or else the most recent year before it that has figures (None: no figures at all)."""
    found: dict[int, int | None] = dict.fromkeys(municipality_ids)
    rows = (
        PopulationFigure.objects.filter(municipality_id__in=municipality_ids, year__lte=last_year)
        .values("municipality_id")
        .annotate(year=Max("year"))
        .order_by()
    )
    for row in rows:
        found[row["municipality_id"]] = row["year"]
    return found


def _reached(period: Period, *, desk_ids: list[int] | None, municipality_ids: list[int] | None):
    """(district id, age band) per resident reached: one row per resident, with the age band
    at their first contact in the period."""
    contacts = Contact.objects.filter(
        started_at__gte=period.start, started_at__lt=period.end, resident__isnull=False
    )
    if desk_ids is not None:
        contacts = contacts.filter(desk_id__in=desk_ids)
    if municipality_ids is not None:
        contacts = contacts.filter(resident__municipality_id__in=municipality_ids)
    rows = (
        contacts.order_by()
        .values("resident_id", "resident__district_id", "resident__birth_date")
        .annotate(first=Min("started_at"))
        .values_list("resident__district_id", "resident__birth_date", "first")
    )
    for district_id, birth_date, first in rows.iterator(chunk_size=5000):
        yield district_id, age_band(birth_date, timezone.localtime(first).date())


def reach_rows(period: Period) -> list[ReachFigure]:
    """The summary rows of ``period`` (the refresh): per desk, and for any desk (desk empty),
    the residents reached per municipality, district and age band, as :func:`_reached` counts
    them."""
    rows = (
        Contact.objects.filter(
            started_at__gte=period.start, started_at__lt=period.end, resident__isnull=False
        )
        .order_by()
        .values("resident_id", "desk_id")
        .annotate(first=Min("started_at"))
        .values_list(
            "resident_id", "desk_id", "resident__municipality_id", "resident__district_id",
            "resident__birth_date", "first",
        )
    )  # fmt: skip
    counts: dict[tuple, int] = defaultdict(int)
    anywhere: dict[int, tuple] = {}  # resident -> (first contact at any desk, municipality, district, birth)
    for resident_id, desk_id, municipality_id, district_id, birth_date, first in rows.iterator(
        chunk_size=5000
    ):
        band = age_band(birth_date, timezone.localtime(first).date())
        counts[(desk_id, municipality_id, district_id, band)] += 1
        earlier = anywhere.get(resident_id)
        if earlier is None or first < earlier[0]:
            anywhere[resident_id] = (first, municipality_id, district_id, band)
    for _first, municipality_id, district_id, band in anywhere.values():
        counts[(None, municipality_id, district_id, band)] += 1
    return [
        ReachFigure(
            first=period.first, last=period.last, desk_id=desk_id, municipality_id=municipality_id,
            district_id=district_id, age_band=band, count=count,
        )
        for (desk_id, municipality_id, district_id, band), count in counts.items()
    ]  # fmt: skip


def _reached_from_summary(period: Period, *, desk_ids: list[int] | None, municipality_ids: list[int] | None):
    """When the refresh counted ``period``, and its (district id, age band, residents) from the
    summary table; None when the period is not summarised or the desks are several (residents
    reached at more than one of them would count twice)."""
    if desk_ids is not None and len(desk_ids) != 1:
        return None
    summarised = SummarisedPeriod.objects.filter(
        kind=SummarisedPeriod.Kind.REACH, first=period.first, last=period.last
    )
    counted_at = summarised.values_list("refreshed_at", flat=True).first()
    if counted_at is None:
        return None
    rows = ReachFigure.objects.filter(first=period.first, last=period.last)
    rows = rows.filter(desk__isnull=True) if desk_ids is None else rows.filter(desk_id=desk_ids[0])
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=municipality_ids)
    return counted_at, list(rows.values_list("district_id", "age_band", "count"))


def _ids(items) -> list[int]:
    result = []
    for item in items or ():
        try:
            result.append(int(getattr(item, "pk", item)))
        except (TypeError, ValueError):
            continue
    return result


def _rate(reached: int, inhabitants: int | None) -> float | None:
    return reached * 1000 / inhabitants if inhabitants else None


def _count(value: int) -> Cell:
    return Cell(value, COUNT, value)  # a count of distinct residents is its own persons


def _desks_and_municipalities(scope: Scope, chosen: list[Desk]):
    """Which contacts count (desk ids, or None for any desk), which municipalities' residents
    (ids, or None for any), and whose districts are the rows."""
    if scope.is_empty:
        return [], [], []
    if scope.by_municipality:
        municipalities = list(scope.municipalities)
        return [desk.pk for desk in chosen] or None, [m.pk for m in municipalities], municipalities
    if not chosen:  # every desk of the viewer: the scope knows their municipalities
        return [desk.pk for desk in scope.desks], None, list(scope.municipalities)
    desk_ids = [desk.pk for desk in chosen]
    municipalities = list(Municipality.objects.filter(desks__in=desk_ids).distinct().order_by("name"))
    return desk_ids, None, municipalities


def reach_analysis(
    *, viewer, period: Period, desks=None, municipality=None, scope: Scope | None = None
) -> Reach:
    """Residents reached per district and age band in ``period``, per 1,000 inhabitants.

    The desk's staff (``insights.view_desk_figures``): residents with a contact at the chosen
    desks (default: all their desks); the rows are the districts of the municipalities those
    desks serve. The policy officer (``insights.view_municipality_aggregates``): residents of
    their municipalities with a contact at any desk (or the chosen ones), with the small-cell
    rule on counts and rates alike. Definitions: docs/subsystems/quality-and-reach.md.
    """
    scope = scope or insight_scope(viewer)
    in_scope = {desk.pk: desk for desk in scope.desks}
    chosen = [in_scope[pk] for pk in _ids(desks) if pk in in_scope]
    desk_ids, resident_municipalities, municipalities = _desks_and_municipalities(scope, chosen)
    wanted = _ids([municipality]) if municipality else []
    if wanted and any(m.pk == wanted[0] for m in municipalities):
        # One municipality: its districts are the rows (the policy view: its residents only).
        municipalities = [m for m in municipalities if m.pk == wanted[0]]
        if resident_municipalities is not None:
            resident_municipalities = [wanted[0]]
    years_by_id = population_years([m.pk for m in municipalities], period.last.year)

    districts = list(
        District.objects.filter(municipality__in=municipalities)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    used = Q(pk__in=[])
    for municipality_id, year in years_by_id.items():
        if year is not None:
            used |= Q(municipality_id=municipality_id, year=year)
    inhabitants = {
        (district_id, band): number
        for district_id, band, number in PopulationFigure.objects.filter(used).values_list(
            "district_id", "age_band", "inhabitants"
        )
    }

    # Count: one per resident, in their district's row and the band of their age.
    counts: dict[tuple[int, str], int] = defaultdict(int)
    known = {district.pk for district in districts}
    outside = 0
    counted_at = None
    if desk_ids != []:
        summary = _reached_from_summary(period, desk_ids=desk_ids, municipality_ids=resident_municipalities)
        if summary is not None:
            counted_at, reached = summary
        else:
            reached = (
                (district_id, band, 1)
                for district_id, band in _reached(
                    period, desk_ids=desk_ids, municipality_ids=resident_municipalities
                )
            )
        for district_id, band, number in reached:
            if district_id in known:
                counts[(district_id, band or UNKNOWN_AGE)] += number
            else:
                outside += number

    multiple = len(municipalities) > 1
    labels = {d.pk: f"{d.name} ({d.municipality.name})" if multiple else d.name for d in districts}
    with_figures = [d.pk for d in districts if any((d.pk, band) in inhabitants for band in BAND_KEYS)]
    band_columns = [(code, label) for code, _low, _high, label in AGE_BANDS]

    # Residents reached.
    count_rows = []
    for district in districts:
        cells = {part: _count(counts.get((district.pk, part), 0)) for part in PART_KEYS}
        cells[TOTAL_KEY] = _count(sum(counts.get((district.pk, part), 0) for part in PART_KEYS))
        count_rows.append(Row(str(district.pk), labels[district.pk], cells))
    column_totals = {part: sum(counts.get((d.pk, part), 0) for d in districts) for part in PART_KEYS}
    count_table = Table(
        "bereik-aantallen",
        _("Bereikte inwoners per wijk en leeftijdsgroep"),
        _("Wijk"),
        [
            *[Column(code, label) for code, label in band_columns],
            Column(UNKNOWN_AGE, _("Leeftijd onbekend")),
            Column(TOTAL_KEY, _("Totaal")),
        ],
        count_rows,
        Row(
            TOTAL_KEY,
            TOTAL_LABEL,
            {
                **{part: _count(n) for part, n in column_totals.items()},
                TOTAL_KEY: _count(sum(column_totals.values())),
            },
        ),
        _(
            "Verschillende inwoners met ten minste één contact in de periode, in de wijk waar zij nu "
            "wonen en de leeftijdsgroep van hun leeftijd bij het eerste contact in de periode. "
            "Anonieme contacten tellen niet mee."
        ),
        chart=None,
    )

    # Inhabitants: the imported figures.
    district_inhabitants = {
        pk: sum(inhabitants.get((pk, band), 0) for band in BAND_KEYS) for pk in with_figures
    }
    band_inhabitants = {
        band: sum(inhabitants.get((pk, band), 0) for pk in with_figures) for band in BAND_KEYS
    }
    total_inhabitants = sum(district_inhabitants.values())
    population_table = Table(
        "bereik-inwoners",
        _("Inwoners volgens de bevolkingscijfers"),
        _("Wijk"),
        [
            *[Column(code, label, additive=False) for code, label in band_columns],
            Column(TOTAL_KEY, _("Totaal"), additive=False),
        ],
        [
            Row(
                str(district.pk),
                labels[district.pk],
                {
                    **{band: Cell(inhabitants.get((district.pk, band)), COUNT) for band in BAND_KEYS},
                    TOTAL_KEY: Cell(district_inhabitants.get(district.pk), COUNT),
                },
            )
            for district in districts
        ],
        Row(
            TOTAL_KEY,
            TOTAL_LABEL,
            {
                **{band: Cell(band_inhabitants[band] or None, COUNT) for band in BAND_KEYS},
                TOTAL_KEY: Cell(total_inhabitants or None, COUNT),
            },
        ),
        _("Inwoners per wijk en leeftijdsgroep volgens het ingelezen bestand met bevolkingscijfers."),
        chart=None,
    )

    # Rates per 1,000; the average over the districts that have figures.
    def rate(reached: int, number: int | None) -> RateCell:
        return RateCell(_rate(reached, number), RATE, reached, inhabitants=number or None)

    rate_rows = []
    for district in districts:
        cells = {
            band: rate(counts.get((district.pk, band), 0), inhabitants.get((district.pk, band)))
            for band in BAND_KEYS
        }
        cells[TOTAL_KEY] = rate(count_table.rows[districts.index(district)].cell(TOTAL_KEY).value,
                                district_inhabitants.get(district.pk))  # fmt: skip
        rate_rows.append(Row(str(district.pk), labels[district.pk], cells))
    reached_in_figures = {band: sum(counts.get((pk, band), 0) for pk in with_figures) for band in PART_KEYS}
    rate_total = {band: rate(reached_in_figures[band], band_inhabitants[band]) for band in BAND_KEYS}
    rate_total[TOTAL_KEY] = rate(sum(reached_in_figures.values()), total_inhabitants)
    average = rate_total[TOTAL_KEY].value
    threshold = average * UNDER_REACHED_SHARE if average else None
    rate_table = Table(
        "bereik-per-1000",
        _("Bereikte inwoners per 1.000 inwoners"),
        _("Wijk"),
        [
            *[Column(code, label, RATE, additive=False) for code, label in band_columns],
            Column(TOTAL_KEY, _("Hele wijk"), RATE, additive=False),
        ],
        rate_rows,
        Row(TOTAL_KEY, _("Gemiddelde"), rate_total),
        _(
            "Bereikte inwoners per 1.000 inwoners van dezelfde wijk en leeftijdsgroep. Hele wijk: alle "
            "bereikte inwoners van de wijk (ook die met onbekende leeftijd) per 1.000 inwoners. "
            "Gemiddelde: hetzelfde over alle wijken met bevolkingscijfers; het gemiddelde in de kolom "
            "Hele wijk is het gemiddelde van het loket."
        ),
        chart=None,
    )

    outside_cell = _count(outside)
    if scope.suppressed:
        suppress_with_row_totals(count_table, PART_KEYS, TOTAL_KEY)
        outside_cell.suppressed = outside_cell.is_small
        _mirror(
            count_table, rate_table, without_figures=[d.pk for d in districts if d.pk not in with_figures]
        )
    under = _mark_under_reached(rate_table, threshold)
    return Reach(
        period=period,
        scope=scope,
        desks=chosen,
        municipalities=municipalities,
        years={m: years_by_id.get(m.pk) for m in municipalities},
        counts=count_table,
        rates=rate_table,
        population=population_table,
        outside=outside_cell,
        average=average,
        threshold=threshold,
        suppressed=scope.suppressed,
        under_reached=under,
        counted_at=counted_at,
    )


def suppress_with_row_totals(table: Table, part_keys: list[str], total_key: str) -> Table:
    """The dashboards' small-cell rule (:meth:`Table.suppress`: small cells, then a second cell
    per column so that no hidden cell follows from the column total), and the same along each
    row, whose parts add up to its total column: repeated until nothing more needs hiding."""
    table.suppress()
    for _round in range(len(part_keys) * (len(table.rows) + 1)):
        changed = False
        for row in table._all_rows():
            hidden = [key for key in part_keys if row.cell(key).suppressed]
            if len(hidden) != 1:
                continue
            others = [key for key in part_keys if not row.cell(key).suppressed and row.cell(key).value]
            if others:
                victim = row.cells[min(others, key=lambda key: row.cell(key).value)]
            elif not row.cell(total_key).suppressed:
                victim = row.cells[total_key]
            else:
                continue
            victim.suppressed = victim.secondary = True
            changed = True
        if not changed:
            break
        table.suppress()  # the new hidden cells may need a partner in their column
    return table


def _mirror(counts: Table, rates: Table, *, without_figures: list[int]) -> None:
    """A rate gives its count back (the inhabitants are public): hide the rate where the count
    is hidden. The averages add up the districts with figures; when a district without figures
    has a hidden cell, the averages would reveal it by subtraction from the totals, so they go."""
    by_key = {row.key: row for row in counts.rows}
    for row in rates.rows:
        for key, cell in row.cells.items():
            source = by_key[row.key].cell(key)
            if source.suppressed:
                cell.suppressed, cell.secondary = True, source.secondary
    hidden_elsewhere = any(
        cell.suppressed
        for row in counts.rows
        if int(row.key) in without_figures
        for cell in row.cells.values()
    )
    for key, cell in rates.total.cells.items():
        source = counts.total.cell(key)
        if source.suppressed:
            cell.suppressed, cell.secondary = True, source.secondary
        elif hidden_elsewhere:
            cell.suppressed, cell.secondary = True, True
    rates.suppressed = True


def _mark_under_reached(rates: Table, threshold: float | None) -> list[str]:
    """Mark the cells below ``threshold``; return what is under-reached, in words.

    A hidden cell is marked only when it would be under the line whatever its hidden value (1
    to 4), so the mark tells nothing the "< 5" does not already; a cell hidden to protect
    another is never marked.
    """
    found: list[str] = []
    if threshold is None:
        return found
    headings = {column.key: column.label for column in rates.columns}
    for row in [*rates.rows, rates.total]:
        for key, cell in row.cells.items():
            if cell.inhabitants is None or (row is rates.total and key == TOTAL_KEY):
                continue
            if cell.suppressed:
                cell.under = not cell.secondary and _rate(SMALL_CELL - 1, cell.inhabitants) < threshold
            else:
                cell.under = cell.value is not None and cell.value < threshold
            if cell.under:
                if row is rates.total:
                    found.append(_("%(band)s, alle wijken") % {"band": headings[key]})
                elif key == TOTAL_KEY:
                    found.append(_("%(district)s, hele wijk") % {"district": row.label})
                else:
                    found.append(f"{row.label}, {headings[key]}")
    return found
