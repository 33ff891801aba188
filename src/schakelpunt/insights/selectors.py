"""The one place the figures come from: ``dashboard(*, viewer, period, desks, municipality)``.

It reads the summary tables (``MonthlyCount``, ``LeadTimeCount``), never the registration
itself, so it answers in a handful of queries whatever the size of the data. Who sees what:

- ``insights.view_desk_figures`` (the coordinator): the figures of their own desks, complete;
- ``insights.view_municipality_aggregates`` (the policy officer): the figures about residents
  of their municipality, at any desk, with small cells hidden (``tables.Table.suppress``);
- anyone else: nothing.

Everything the dashboard, the exports and later the PDF report show is a :class:`Table` built
here; docs/subsystems/insights.md defines each figure.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from schakelpunt.contacts.models import Contact, LifeDomain, Question
from schakelpunt.insights import definitions as d
from schakelpunt.insights.models import SMALL_CELL, LeadTimeCount, MonthlyCount, RefreshRun
from schakelpunt.insights.periods import Period
from schakelpunt.insights.tables import COUNT, DAYS, PERCENT, TOTAL_LABEL, Cell, Column, Row, Table
from schakelpunt.organisations.models import Desk, District, Location, Municipality, Organisation
from schakelpunt.referrals.models import Referral

# --- who sees what ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a viewer may look at: desks to choose from, municipalities, and whether the
    figures are limited to residents of those municipalities with small cells hidden."""

    desks: tuple[Desk, ...] = ()
    municipalities: tuple[Municipality, ...] = ()
    by_municipality: bool = True
    suppressed: bool = True

    @property
    def is_empty(self) -> bool:
        return not (self.municipalities if self.by_municipality else self.desks)


def policy_municipalities(viewer) -> list[Municipality]:
    """The municipalities a policy officer works for: their organisation's municipality (a
    municipality organisation), or else the municipalities the desks they are linked to serve
    (ADR 0010)."""
    organisation = viewer.organisation if viewer.organisation_id else None
    if organisation is not None and organisation.municipality_id:
        return list(Municipality.objects.filter(pk=organisation.municipality_id))
    return list(Municipality.objects.filter(desks__in=viewer.desks.all()).distinct().order_by("name"))


def insight_scope(viewer) -> Scope:
    if not viewer.is_authenticated or not viewer.is_active:
        return Scope()
    if viewer.has_perm("insights.view_desk_figures"):
        desks = tuple(viewer.desks.order_by("name"))
        municipalities = tuple(
            Municipality.objects.filter(desks__in=[desk.pk for desk in desks]).distinct().order_by("name")
        )
        return Scope(desks, municipalities, by_municipality=False, suppressed=False)
    if viewer.has_perm("insights.view_municipality_aggregates"):
        municipalities = tuple(policy_municipalities(viewer))
        desks = tuple(
            Desk.objects.filter(municipalities__in=[m.pk for m in municipalities]).distinct().order_by("name")
        )
        return Scope(desks, municipalities, by_municipality=True, suppressed=True)
    return Scope()


# --- the dashboard -----------------------------------------------------------------------------


@dataclass
class Section:
    key: str
    title: Any
    tables: list[Table]
    description: Any = ""


@dataclass
class Dashboard:
    period: Period
    scope: Scope
    desks: list[Desk]  # chosen; empty: every desk in scope
    municipality: Municipality | None
    suppressed: bool
    headline: Table
    sections: list[Section] = field(default_factory=list)
    refreshed_at: datetime.datetime | None = None

    @property
    def tables(self) -> list[Table]:
        return [self.headline, *(table for section in self.sections for table in section.tables)]

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)

    @property
    def scope_label(self) -> str:
        """The desks and municipality the figures are about, in words (pages and files)."""
        desks = ", ".join(desk.name for desk in self.desks) or str(_("alle loketten"))
        if self.municipality is not None:
            where = self.municipality.name
        elif self.scope.by_municipality:
            where = ", ".join(m.name for m in self.scope.municipalities)
        else:
            where = str(_("alle gemeenten"))
        return f"{desks}; {where}"


class _Figures:
    """Sums of the summary rows in scope, with the persons behind each figure."""

    def __init__(self):
        self.count: dict[tuple, int] = defaultdict(int)
        self.persons: dict[tuple, int] = {}

    def get(self, measure: str, dimension: str = d.TOTAL, value: str = "") -> Cell:
        key = (measure, dimension, value)
        return Cell(self.count.get(key, 0), COUNT, self.persons.get(key, 0))

    def values(self, measure: str, dimension: str) -> list[str]:
        return [key[2] for key in self.count if key[0] == measure and key[1] == dimension]


# The measures the dashboard also shows month by month.
PER_MONTH = [d.CONTACTS, d.QUESTIONS, d.WMO_REPORTS, d.WMO_IN_TIME, d.WMO_LATE]


def _load_figures(base, need_keys: bool) -> tuple[_Figures, _Figures]:
    """Two sets of figures: per (measure, dimension, value) over the period, and per (measure,
    "month", month) for the totals. Persons: the largest row when it reaches SMALL_CELL
    (distinct persons do not add up, but one row that large proves the cell is not small);
    otherwise the union of the rows' person keys, which is exact."""
    overall, by_month = _Figures(), _Figures()
    small: list[tuple[_Figures, tuple]] = []
    for row in base.values("measure", "dimension", "value").annotate(n=Sum("count"), p=Max("persons")):
        key = (row["measure"], row["dimension"], row["value"])
        overall.count[key], overall.persons[key] = row["n"], row["p"]
        if row["p"] < SMALL_CELL:
            small.append((overall, key))
    months = base.filter(dimension=d.TOTAL, measure__in=PER_MONTH)
    for row in months.values("measure", "month").annotate(n=Sum("count"), p=Max("persons")):
        key = (row["measure"], "month", row["month"].isoformat())
        by_month.count[key], by_month.persons[key] = row["n"], row["p"]
        if row["p"] < SMALL_CELL:
            small.append((by_month, key))
    if need_keys and small:
        measures = sorted({key[0] for _figures, key in small})
        union: dict[tuple, set] = defaultdict(set)
        rows = base.filter(persons__lt=SMALL_CELL, measure__in=measures).values_list(
            "measure", "dimension", "value", "month", "person_keys"
        )
        for measure, dimension, value, month, keys in rows:
            union[(measure, dimension, value)].update(keys)
            if dimension == d.TOTAL:
                union[(measure, "month", month.isoformat())].update(keys)
        for figures, key in small:
            figures.persons[key] = len(union.get(key, ()))
    return overall, by_month


def _lead_times(period: Period, desk_ids, municipality_ids) -> dict[str, dict[int, int]]:
    rows = LeadTimeCount.objects.filter(month__gte=period.first, month__lte=period.last)
    if desk_ids is not None:
        rows = rows.filter(desk_id__in=desk_ids)
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=municipality_ids)
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows.values("measure", "bucket").annotate(n=Sum("count")).order_by():
        histograms[row["measure"]][row["bucket"]] = row["n"]
    return histograms


def dashboard(
    *,
    viewer,
    period: Period,
    desks: Iterable[Desk | int] | None = None,
    municipality: Municipality | int | None = None,
    scope: Scope | None = None,
) -> Dashboard:
    """The figures for ``period`` that ``viewer`` may see, for the chosen desks (default: every
    desk in scope) and municipality (default: every municipality in scope). Choices outside the
    viewer's scope are ignored. Small cells are hidden when the viewer's scope says so.

    ``scope``: ``insight_scope(viewer)`` when the caller has it already (saves its queries)."""
    scope = scope if scope is not None else insight_scope(viewer)
    in_scope = {desk.pk: desk for desk in scope.desks}
    chosen = [in_scope[pk] for pk in _ids(desks) if pk in in_scope]
    municipalities = {m.pk: m for m in scope.municipalities}
    chosen_municipality = next(
        (municipalities[pk] for pk in _ids([municipality]) if pk in municipalities), None
    )

    if scope.is_empty:
        desk_ids, municipality_ids = [], []
    elif scope.by_municipality:
        desk_ids = [desk.pk for desk in chosen] or None
        municipality_ids = [chosen_municipality.pk] if chosen_municipality else list(municipalities)
    else:
        desk_ids = [desk.pk for desk in chosen] or list(in_scope)
        municipality_ids = [chosen_municipality.pk] if chosen_municipality else None

    base = MonthlyCount.objects.filter(month__gte=period.first, month__lte=period.last).order_by()
    if desk_ids is not None:
        base = base.filter(desk_id__in=desk_ids)
    if municipality_ids is not None:
        base = base.filter(municipality_id__in=municipality_ids)
    figures, by_month = _load_figures(base, need_keys=scope.suppressed)
    histograms = _lead_times(period, desk_ids, municipality_ids)

    builder = _Builder(figures, by_month, histograms, period)
    board = Dashboard(
        period=period,
        scope=scope,
        desks=chosen,
        municipality=chosen_municipality,
        suppressed=scope.suppressed,
        headline=builder.headline(),
        sections=builder.sections(),
        refreshed_at=RefreshRun.objects.filter(finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first(),
    )
    if scope.suppressed:
        for table in board.tables:
            table.suppress()
    return board


def _ids(items) -> list[int]:
    result = []
    for item in items or ():
        try:
            result.append(int(getattr(item, "pk", item)))
        except (TypeError, ValueError):
            continue
    return result


# --- the tables ----------------------------------------------------------------------------------

UNKNOWN_LABELS = {
    d.LOCATION: _("Geen locatie (telefoon, e-mail, online)"),
    d.DISTRICT: _("Wijk onbekend"),
    d.AGE_BAND: _("Leeftijd onbekend"),
    d.DOMAIN: _("Geen levensdomein"),
    d.OUTCOME: _("Nog geen uitkomst"),
    d.REASON: _("Reden onbekend"),
    d.PARTNER: _("Onbekend"),
}
LEAD_TIME_LABELS = {
    d.LEAD_QUESTION: _("Vraag: gesteld → afgesloten"),
    d.LEAD_REFERRAL_ACCEPT: _("Verwijzing: verstuurd → geaccepteerd"),
    d.LEAD_REFERRAL_COMPLETE: _("Verwijzing: geaccepteerd → afgerond"),
    d.LEAD_REFERRAL_TOTAL: _("Verwijzing: verstuurd → afgerond"),
}


def unmet_reason_labels() -> dict[str, Any]:
    """The reasons of both kinds of unmet need: the question's and the partner's."""
    labels = dict(Question.UnmetReason.choices)
    for code, label in Referral.Reason.choices:
        labels.setdefault(code, label)
    return labels


class _Builder:
    def __init__(self, figures: _Figures, by_month: _Figures, histograms, period: Period):
        self.f, self.by_month, self.histograms, self.period = figures, by_month, histograms, period
        self._domain_names: list[tuple[str, str]] | None = None
        self._partner_rows: tuple[list[tuple[str, Any]], dict[str, Cell]] | None = None

    def _domains(self) -> list[tuple[str, str]]:
        """Every life domain (a short list), read once for both tables that need them."""
        if self._domain_names is None:
            self._domain_names = list(
                LifeDomain.objects.order_by("position", "name").values_list("code", "name")
            )
        return self._domain_names

    # labels of the values found, in a sensible order ------------------------------------------

    def _ordered(self, dimension: str, values: set[str]) -> list[tuple[str, Any]]:
        known = [value for value in values if value != d.UNKNOWN]
        if dimension == d.CHANNEL:
            pairs = [(code, label) for code, label in Contact.Channel.choices if code in values]
        elif dimension == d.OUTCOME:
            pairs = [(code, label) for code, label in Question.Outcome.choices if code in values]
        elif dimension == d.AGE_BAND:
            pairs = [(code, label) for code, _low, _high, label in d.AGE_BANDS if code in values]
        elif dimension == d.REASON:
            pairs = [(code, label) for code, label in unmet_reason_labels().items() if code in values]
        elif dimension == d.DOMAIN:
            pairs = [(code, name) for code, name in self._domains() if code in values]
        elif dimension == d.LOCATION:
            found = Location.objects.filter(pk__in=_numbers(known)).select_related("desk").order_by("name")
            pairs = [(str(location.pk), f"{location.name} ({location.desk.name})") for location in found]
        elif dimension == d.DISTRICT:
            found = District.objects.filter(pk__in=_numbers(known)).order_by("name")
            pairs = [(str(district.pk), district.name) for district in found]
        elif dimension == d.PARTNER:
            found = Organisation.objects.filter(pk__in=_numbers(known)).order_by("name")
            pairs = [(str(organisation.pk), organisation.name) for organisation in found]
        else:  # pragma: no cover - every dimension is listed above
            pairs = [(value, value) for value in sorted(known)]
        listed = {code for code, _label in pairs}
        # A value without a label (removed since, or unknown) goes at the end, as unknown.
        if d.UNKNOWN in values or any(value not in listed for value in known):
            pairs.append((d.UNKNOWN, UNKNOWN_LABELS.get(dimension, _("Onbekend"))))
        return pairs

    def _cell(self, measure: str, dimension: str, value: str, listed: set[str]) -> Cell:
        if value != d.UNKNOWN:
            return self.f.get(measure, dimension, value)
        # "Unknown" also collects values that have no label (any more).
        cells = [
            self.f.get(measure, dimension, found)
            for found in self.f.values(measure, dimension)
            if found == d.UNKNOWN or found not in listed
        ]
        return Cell(sum(c.value for c in cells), COUNT, max((c.persons for c in cells), default=0))

    def _breakdown(
        self, key, title, heading, dimension, measures, *, description="", chart="bar", total=True
    ) -> Table:
        """Rows: the values of ``dimension``; columns: ``measures`` [(measure, label)]."""
        values = set()
        for measure, _label in measures:
            values.update(self.f.values(measure, dimension))
        pairs = self._ordered(dimension, values)
        listed = {code for code, _label in pairs if code != d.UNKNOWN}
        columns = [Column(measure, label) for measure, label in measures]
        rows = [
            Row(code, label, {m: self._cell(m, dimension, code, listed) for m, _label in measures})
            for code, label in pairs
        ]
        total_row = Row("total", TOTAL_LABEL, {m: self.f.get(m) for m, _label in measures}) if total else None
        return Table(key, title, heading, columns, rows, total_row, description, chart)

    # the tables ----------------------------------------------------------------------------------

    def headline(self) -> Table:
        measures = [
            (d.CONTACTS, _("Contacten")),
            (d.QUESTIONS, _("Vragen")),
            (d.REFERRALS, _("Doorverwijzingen")),
            (d.UNMET_QUESTIONS, _("Vragen zonder passend aanbod")),
            (d.UNMET_REFERRALS, _("Verwijzingen die niet konden helpen")),
        ]
        rows = [Row(measure, label, {"count": self.f.get(measure)}) for measure, label in measures]
        return Table(
            "kerncijfers",
            _("Kerncijfers"),
            _("Wat"),
            [Column("count", _("Aantal"), additive=False)],
            rows,
            chart=None,
        )

    def _in_month(self, measure: str, month: datetime.date) -> Cell:
        key = (measure, "month", month.isoformat())
        return Cell(self.by_month.count.get(key, 0), COUNT, self.by_month.persons.get(key, 0))

    def per_month(self) -> Table:
        columns = [Column(d.CONTACTS, _("Contacten")), Column(d.QUESTIONS, _("Vragen"))]
        rows = [
            Row(
                month.isoformat(),
                date_format(month, "b Y"),
                {measure: self._in_month(measure, month) for measure in (d.CONTACTS, d.QUESTIONS)},
            )
            for month in self.period.months
        ]
        total = Row("total", TOTAL_LABEL, {m: self.f.get(m) for m in (d.CONTACTS, d.QUESTIONS)})
        return Table(
            "per-maand",
            _("Contacten en vragen per maand"),
            _("Maand"),
            columns,
            rows,
            total,
            _("Een contact telt in de maand waarin het plaatsvond; zijn vragen tellen mee in die maand."),
            chart="line",
        )

    def sections(self) -> list[Section]:
        both = [(d.CONTACTS, _("Contacten")), (d.QUESTIONS, _("Vragen"))]
        questions = [(d.QUESTIONS, _("Vragen"))]
        return [
            Section(
                "contacten",
                _("Contacten en vragen"),
                [
                    self.per_month(),
                    self._breakdown("per-kanaal", _("Per kanaal"), _("Kanaal"), d.CHANNEL, both),
                    self._breakdown(
                        "per-locatie", _("Per locatie"), _("Locatie"), d.LOCATION, both, chart="horizontal"
                    ),
                    self._breakdown(
                        "per-levensdomein",
                        _("Vragen per levensdomein"),
                        _("Levensdomein"),
                        d.DOMAIN,
                        questions,
                        description=_(
                            "Een vraag kan over meer levensdomeinen gaan en telt dan bij elk ervan; "
                            "het totaal is het aantal vragen."
                        ),
                        chart="horizontal",
                    ),
                    self._breakdown(
                        "per-leeftijd",
                        _("Per leeftijdsgroep"),
                        _("Leeftijd"),
                        d.AGE_BAND,
                        both,
                        description=_("De leeftijd van de inwoner op de dag van het contact."),
                    ),
                    self._breakdown(
                        "per-wijk",
                        _("Per wijk"),
                        _("Wijk"),
                        d.DISTRICT,
                        both,
                        description=_("De wijk waar de inwoner woont."),
                        chart="horizontal",
                    ),
                ],
            ),
            Section(
                "uitkomsten",
                _("Uitkomsten"),
                [
                    self._breakdown(
                        "uitkomsten",
                        _("Uitkomsten van vragen"),
                        _("Uitkomst"),
                        d.OUTCOME,
                        questions,
                        description=_("Vragen gesteld in de periode, naar hun uitkomst tot nu toe."),
                        chart="horizontal",
                    )
                ],
            ),
            Section("doorlooptijden", _("Doorlooptijden"), [self.lead_times()]),
            Section("verwijzingen", _("Doorverwijzingen"), [self.partners(), self.partner_usage()]),
            Section(
                "onvervuld",
                _("Onvervulde behoeften"),
                [
                    self._breakdown(
                        "onvervuld-per-reden",
                        _("Onvervulde behoeften per reden"),
                        _("Reden"),
                        d.REASON,
                        self.unmet_measures(),
                        chart="horizontal",
                    ),
                    self._breakdown(
                        "onvervuld-per-domein",
                        _("Onvervulde behoeften per levensdomein"),
                        _("Levensdomein"),
                        d.DOMAIN,
                        self.unmet_measures(),
                        description=_("Een vraag over meer levensdomeinen telt bij elk ervan."),
                        chart="horizontal",
                    ),
                ],
                _(
                    "Vragen die zijn afgesloten met ‘geen passend aanbod’, en verwijzingen die een "
                    "partner niet kon uitvoeren (geen plek, komt niet in aanmerking)."
                ),
            ),
            Section("wmo", _("Wmo-meldingen"), [self.wmo()]),
        ]

    def unmet_measures(self):
        return [
            (d.UNMET_QUESTIONS, _("Vragen zonder passend aanbod")),
            (d.UNMET_REFERRALS, _("Verwijzingen die niet konden helpen")),
        ]

    def lead_times(self) -> Table:
        columns = [
            Column("count", _("Aantal"), additive=False, chart=False),
            Column("p50", _("Mediaan (dagen)"), DAYS, additive=False),
            Column("p90", _("90% binnen (dagen)"), DAYS, additive=False),
        ]
        rows = []
        for measure in d.LEAD_MEASURES:
            count = self.f.get(measure)
            histogram = self.histograms.get(measure, {})
            rows.append(
                Row(
                    measure,
                    LEAD_TIME_LABELS[measure],
                    {
                        "count": count,
                        "p50": Cell(d.percentile(histogram, 0.5), DAYS, count.persons),
                        "p90": Cell(d.percentile(histogram, 0.9), DAYS, count.persons),
                    },
                )
            )
        return Table(
            "doorlooptijden",
            _("Doorlooptijden in dagen: mediaan en 90%"),
            _("Van → tot"),
            columns,
            rows,
            description=_(
                "In kalenderdagen, van wat in de periode is afgesloten of geaccepteerd. De mediaan: "
                "de helft was binnen zoveel dagen klaar; de tweede kolom: negen op de tien. Tot 14 "
                "dagen precies, daarboven als klasse (bijvoorbeeld 15–21)."
            ),
        )

    def _rate(self, partner: str, yes: str, no: str) -> Cell:
        dimension = d.TOTAL if partner == "total" else d.PARTNER
        value = "" if partner == "total" else partner
        return _share(self.f.get(yes, dimension, value), self.f.get(no, dimension, value))

    def _partners(self) -> tuple[list[tuple[str, Any]], dict[str, Cell]]:
        """The partners that received referrals, most first, with their counts; their names
        are read once for both tables about partners."""
        if self._partner_rows is None:
            pairs = self._ordered(d.PARTNER, set(self.f.values(d.REFERRALS, d.PARTNER)))
            made = {code: self.f.get(d.REFERRALS, d.PARTNER, code) for code, _label in pairs}
            pairs.sort(key=lambda pair: -made[pair[0]].value)
            self._partner_rows = (pairs, made)
        return self._partner_rows

    def partners(self) -> Table:
        columns = [
            Column("made", _("Verwezen")),
            Column("accepted", _("Geaccepteerd"), PERCENT, additive=False),
            Column("on_time", _("Op tijd"), PERCENT, additive=False),
            Column("feedback", _("Teruggekoppeld"), PERCENT, additive=False),
        ]
        pairs, made = self._partners()

        def row(key: str, label) -> Row:
            return Row(
                key,
                label,
                {
                    "made": self.f.get(d.REFERRALS) if key == "total" else made[key],
                    "accepted": self._rate(key, d.REFERRALS_ACCEPTED, d.REFERRALS_REJECTED),
                    "on_time": self._rate(key, d.REFERRALS_ON_TIME, d.REFERRALS_LATE),
                    "feedback": self._rate(key, d.REFERRALS_FEEDBACK, d.REFERRALS_NO_FEEDBACK),
                },
            )

        return Table(
            "verwijzingen-per-partner",
            _("Doorverwijzingen per partner"),
            _("Partner"),
            columns,
            [row(code, label) for code, label in pairs],
            row("total", TOTAL_LABEL),
            _(
                "Verwijzingen gemaakt in de periode. Geaccepteerd: van de beantwoorde verwijzingen. "
                "Op tijd: van de afgesloten verwijzingen, binnen de afgesproken termijnen. "
                "Teruggekoppeld: afgesloten met een resultaat, van alle niet-ingetrokken verwijzingen."
            ),
            chart="horizontal",
        )

    def partner_usage(self) -> Table:
        """What each partner did with the referrals it received: for the municipality and the
        financing partners (the annual report), and on the dashboard."""
        columns = [
            Column("received", _("Ontvangen")),
            Column("handled", _("Afgehandeld")),
            Column("on_time", _("Op tijd afgehandeld"), PERCENT, additive=False, chart=False),
        ]
        pairs, made = self._partners()

        def row(key: str, label) -> Row:
            dimension, value = (d.TOTAL, "") if key == "total" else (d.PARTNER, key)
            on_time = self.f.get(d.REFERRALS_ON_TIME, dimension, value)
            late = self.f.get(d.REFERRALS_LATE, dimension, value)
            # The persons behind the sum are at least those of its larger part: a lower bound,
            # so the small-cell rule hides it rather too often than too rarely.
            handled = Cell(on_time.value + late.value, COUNT, max(on_time.persons, late.persons))
            return Row(
                key,
                label,
                {
                    "received": self.f.get(d.REFERRALS) if key == "total" else made[key],
                    "handled": handled,
                    "on_time": self._rate(key, d.REFERRALS_ON_TIME, d.REFERRALS_LATE),
                },
            )

        return Table(
            "gebruik-per-partner",
            _("Gebruik per partner: ontvangen en afgehandeld"),
            _("Partner"),
            columns,
            [row(code, label) for code, label in pairs],
            row("total", TOTAL_LABEL),
            _(
                "Verwijzingen gemaakt in de periode. Ontvangen: alle verwijzingen aan de partner. "
                "Afgehandeld: afgerond, niet gelukt of afgewezen. Op tijd afgehandeld: van de "
                "afgehandelde verwijzingen, het deel binnen de afgesproken termijnen."
            ),
            chart="horizontal",
        )

    def wmo(self) -> Table:
        columns = [
            Column("reports", _("Meldingen")),
            Column("assessed", _("Onderzoeken beoordeeld"), chart=False),
            Column("in_time", _("Binnen de termijn"), PERCENT, additive=False),
        ]

        def row(key: str, label, reports: Cell, in_time: Cell, late: Cell) -> Row:
            # The persons behind the assessments are at least those of the larger part: a lower
            # bound, so the small-cell rule hides it rather too often than too rarely.
            assessed = Cell(in_time.value + late.value, COUNT, max(in_time.persons, late.persons))
            share = _share(in_time, late)
            return Row(key, label, {"reports": reports, "assessed": assessed, "in_time": share})

        measures = (d.WMO_REPORTS, d.WMO_IN_TIME, d.WMO_LATE)
        rows = [
            row(month.isoformat(), date_format(month, "b Y"), *(self._in_month(m, month) for m in measures))
            for month in self.period.months
        ]
        return Table(
            "wmo-per-maand",
            _("Wmo-meldingen per maand"),
            _("Maand"),
            columns,
            rows,
            row("total", TOTAL_LABEL, *(self.f.get(m) for m in measures)),
            _(
                "Meldingen gedaan in de maand. Binnen de termijn: van de onderzoeken die in de maand "
                "klaar waren of over hun wettelijke termijn van zes weken gingen, het deel dat op tijd "
                "klaar was."
            ),
        )


def _share(yes: Cell, no: Cell) -> Cell:
    """The share of ``yes`` in both parts. It reveals both parts, so it is about the smaller
    group of persons (a part of nobody reveals nobody)."""
    base = yes.value + no.value
    parts = [cell.persons for cell in (yes, no) if cell.value]
    return Cell(yes.value / base if base else None, PERCENT, min(parts) if parts else None)


def _numbers(values: Iterable[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


__all__ = ["Dashboard", "Scope", "Section", "dashboard", "insight_scope", "policy_municipalities"]
