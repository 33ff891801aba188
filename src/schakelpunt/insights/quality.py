"""The quality scan of a desk: the quickscan's dimensions scored from the registration itself,
per quarter for four quarters, and the yearly self-assessment from the resident's perspective.

The quickscan of six desks (Kenniscentrum Wonen-Zorg, 2006) judged the handling of questions,
the registration, its analysis, the involvement of the housing and care providers, and care
innovation. Here each becomes a figure with its definition (shown on the page and in
docs/subsystems/quality-and-reach.md):

- registration completeness, lead time of questions, feedback on referrals, unmet needs turned
  into signals, partner involvement (directory kept up to date, referrals answered in time),
  client satisfaction (not collected yet: said so, no figure).

Who sees what follows :func:`schakelpunt.insights.selectors.insight_scope`: the coordinator the
figures of their own desks; the policy officer the figures about residents of their
municipality at a desk serving it, with the small-cell rule of the dashboards
(:meth:`schakelpunt.insights.tables.Table.suppress`).

Where the figures come from: :func:`quality_facts` lists every fact a figure counts; the refresh
(``insights_refresh``) stores them per quarter, desk and municipality in ``QuarterFigure``, and
the page reads those rows when all four quarters are counted, or else the facts straight from
the registration (:func:`quality_figures`). Both give the same figures.

The one write is :func:`self_assessment_save`.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.contacts.models import Question
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.insights.definitions import attributed_municipality
from schakelpunt.insights.models import SMALL_CELL, QuarterFigure, SummarisedPeriod
from schakelpunt.insights.periods import Period, add_months
from schakelpunt.insights.selectors import Scope, insight_scope
from schakelpunt.insights.tables import COUNT, PERCENT, Cell, Column, Row, Table
from schakelpunt.organisations.models import Desk, Participation, SelfAssessment
from schakelpunt.referrals.models import Referral, UnmetNeed

S = Referral.Status
QUARTERS_SHOWN = 4
SHORT_LEAD_DAYS = 14
ALL_QUARTERS = "all"  # the key of figures over the four quarters together
# The first refresh marks this many quarters before today that lie before the first data as
# counted (and empty): the quarters the page offers (eight) and the three before the earliest.
EMPTY_QUARTERS_MARKED = 12

# --- quarters ------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1-4

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``"2026-K3"`` or ``"2026-3"`` → the third quarter of 2026; ValueError otherwise."""
        year, _sep, number = text.strip().upper().partition("-")
        number = number.removeprefix("K")
        if not (len(year) == 4 and year.isdigit() and number in {"1", "2", "3", "4"}):
            raise ValueError(text)
        return cls(int(year), int(number))

    @classmethod
    def last_complete(cls, today: datetime.date | None = None) -> Quarter:
        return cls.of(today or timezone.localdate()).previous()

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def period(self) -> Period:
        first = datetime.date(self.year, 3 * self.number - 2, 1)
        return Period(first, add_months(first, 2))

    @property
    def start(self) -> datetime.datetime:
        return self.period.start

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the quarter."""
        return self.period.end

    @property
    def last_day(self) -> datetime.date:
        return add_months(self.period.first, 3) - datetime.timedelta(days=1)

    @property
    def slug(self) -> str:
        return f"{self.year}-K{self.number}"

    @property
    def label(self) -> str:
        return f"K{self.number} {self.year}"


def quarters_up_to(last: Quarter, count: int = QUARTERS_SHOWN) -> list[Quarter]:
    quarters = [last]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters


# --- who sees which desk --------------------------------------------------------------------------


def quality_desks(viewer, scope: Scope | None = None) -> list[Desk]:
    """The desks whose quality scan the viewer may open: the coordinator's own desks; for the
    policy officer the desks serving their municipality."""
    return list((scope or insight_scope(viewer)).desks)


def quality_desk(viewer, slug: str | None) -> Desk | None:
    """The chosen desk if in the viewer's scope, else the first one (None: no desk at all)."""
    desks = quality_desks(viewer)
    chosen = next((desk for desk in desks if desk.slug == slug), None)
    return chosen or (desks[0] if desks else None)


def _municipality_q(scope: Scope, desk: Desk, *, resident: str, location: str) -> Q:
    """The figures about residents of the scope's municipalities (the policy view), by the same
    rule as the summary tables: the resident's municipality, else the location's, else the
    desk's when it serves one municipality. Empty Q for the desk's own staff."""
    if not scope.by_municipality:
        return Q()
    ids = [municipality.pk for municipality in scope.municipalities]
    condition = Q(**{f"{resident}__municipality__in": ids}) | Q(
        **{f"{resident}__municipality__isnull": True, f"{location}__municipality__in": ids}
    )
    served = getattr(desk, "_served_municipality_ids", None)
    if served is None:  # asked by every figure: once per desk object
        served = desk._served_municipality_ids = list(desk.municipalities.values_list("pk", flat=True))
    if len(served) == 1 and served[0] in ids:
        condition |= Q(**{f"{resident}__municipality__isnull": True, f"{location}__isnull": True})
    return condition


# --- the facts behind the figures -----------------------------------------------------------------

YES, NO, WAITING = "yes", "no", "waiting"
LEAD = "lead"  # questions closed within SHORT_LEAD_DAYS (yes) or later (no)
LEAD_DAYS = "lead_days"  # the same questions per number of days (value), for the median
REGISTRATION_PARTS = ["domain", "clarification", "outcome", "complete"]


def quality_facts(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    desk: Desk | None = None,
    scope: Scope | None = None,
    single: dict[int, int] | None = None,
):
    """Every fact the scan counts between ``start`` and ``end``, as (quarter, desk id,
    municipality id, measure, part, value, person). With ``desk``: only that desk's, and for a
    ``scope`` by municipality only those about its municipalities (the page reading the
    registration); without: every desk's (the refresh, which needs ``single``: the desks that
    serve one municipality)."""
    single = single or {}

    def where(desk_field: str, resident: str, location: str) -> Q:
        if desk is None:
            return Q()
        return Q(**{desk_field: desk}) & (
            _municipality_q(scope, desk, resident=resident, location=location) if scope else Q()
        )

    contact_fields = (
        "contact__desk_id", "contact__resident_id", "contact_id", "contact__resident__municipality_id",
        "contact__location__municipality_id",
    )  # fmt: skip
    referral_fields = (
        "referring_desk_id", "resident_id", "question__contact_id", "resident__municipality_id",
        "question__contact__location__municipality_id",
    )  # fmt: skip

    def who(desk_id, resident_id, contact_id, resident_muni, location_muni):
        return (
            desk_id,
            attributed_municipality(single, desk_id, resident_muni, location_muni),
            _person(resident_id, contact_id),
        )

    def quarter(moment: datetime.datetime) -> Quarter:
        return Quarter.of(_local_date(moment))

    # Registration: the questions asked in the quarter.
    has_domain = Exists(Question.domains.through.objects.filter(question_id=OuterRef("pk")))
    rows = (
        Question.objects.filter(
            Q(contact__started_at__gte=start, contact__started_at__lt=end)
            & where("contact__desk", "contact__resident", "contact__location")
        )
        .annotate(has_domain=has_domain)
        .order_by()
        .values_list("contact__started_at", *contact_fields, "clarification", "outcome", "has_domain")
    )
    for started, *person, clarification, outcome, domain in rows.iterator(chunk_size=5000):
        moment, (desk_id, muni, key) = quarter(started), who(*person)
        parts = {"domain": bool(domain), "clarification": bool(clarification), "outcome": bool(outcome)}
        parts["complete"] = all(parts.values())
        for name, yes in parts.items():
            yield moment, desk_id, muni, name, YES if yes else NO, "", key

    # Lead time: the questions closed in the quarter.
    rows = (
        Question.objects.filter(
            Q(closed_at__gte=start, closed_at__lt=end)
            & where("contact__desk", "contact__resident", "contact__location")
        )
        .order_by()
        .values_list("closed_at", "contact__started_at", *contact_fields)
    )
    for closed, started, *person in rows.iterator(chunk_size=5000):
        moment, (desk_id, muni, key) = quarter(closed), who(*person)
        lead = max(0, (_local_date(closed) - _local_date(started)).days)
        yield moment, desk_id, muni, LEAD, YES if lead <= SHORT_LEAD_DAYS else NO, "", key
        yield moment, desk_id, muni, LEAD_DAYS, "", str(lead), key

    # Feedback: the referrals closed in the quarter, other than withdrawn.
    rows = (
        Referral.objects.filter(
            Q(closed_at__gte=start, closed_at__lt=end, status__in=[S.COMPLETED, S.REJECTED, S.FAILED])
            & where("referring_desk", "resident", "question__contact__location")
        )
        .order_by()
        .values_list("closed_at", *referral_fields, "outcome")
    )
    for closed, *person, outcome in rows.iterator(chunk_size=5000):
        moment, (desk_id, muni, key) = quarter(closed), who(*person)
        yield moment, desk_id, muni, "feedback", YES if outcome.strip() else NO, "", key

    # Unmet needs and whether a signal shows them.
    if signalling_available()[0]:
        from schakelpunt.signalling.models import Signal, SignalQuestion, SignalUnmetNeed

        real = ~Q(signal__status__in=Signal.DESK_ONLY_STATUSES)
        rows = (
            Question.objects.filter(
                Q(
                    outcome=Question.Outcome.NO_SUPPLY,
                    contact__started_at__gte=start,
                    contact__started_at__lt=end,
                )
                & where("contact__desk", "contact__resident", "contact__location")
            )
            .annotate(linked=Exists(SignalQuestion.objects.filter(real, question_id=OuterRef("pk"))))
            .order_by()
            .values_list("contact__started_at", *contact_fields, "linked")
        )
        for started, *person, linked in rows.iterator(chunk_size=5000):
            moment, (desk_id, muni, key) = quarter(started), who(*person)
            yield moment, desk_id, muni, "signalled", YES if linked else NO, "", key
        rows = (
            UnmetNeed.objects.filter(
                Q(recorded_at__gte=start, recorded_at__lt=end)
                & where("referral__referring_desk", "referral__resident", "question__contact__location")
            )
            .annotate(linked=Exists(SignalUnmetNeed.objects.filter(real, unmet_need_id=OuterRef("pk"))))
            .order_by()
            .values_list(
                "recorded_at", "referral__referring_desk_id", "referral__resident_id", "question__contact_id",
                "referral__resident__municipality_id", "question__contact__location__municipality_id",
                "linked",
            )
        )  # fmt: skip
        for recorded, *person, linked in rows.iterator(chunk_size=5000):
            moment, (desk_id, muni, key) = quarter(recorded), who(*person)
            yield moment, desk_id, muni, "signalled", YES if linked else NO, "", key

    # Referrals made in the quarter and whether the partner answered by the agreed day. One
    # still waiting counts as late once the day has passed: which depends on the day of
    # reading, so it is kept apart with its due date.
    rows = (
        Referral.objects.filter(
            Q(created_at__gte=start, created_at__lt=end)
            & where("referring_desk", "resident", "question__contact__location")
        )
        .order_by()
        .values_list(
            "created_at", *referral_fields, "status", "accepted_at", "closed_at", "due_accept",
            "organisation_id",
        )
    )  # fmt: skip
    for created, *rest in rows.iterator(chunk_size=5000):
        person, (status, accepted, closed, due, partner_id) = rest[:5], rest[5:]
        if accepted is not None:
            part, value = (YES if _local_date(accepted) <= due else NO), str(partner_id)
        elif status == S.REJECTED and closed is not None:
            part, value = (YES if _local_date(closed) <= due else NO), str(partner_id)
        elif status in (S.REQUESTED, S.ON_HOLD) and due is not None:
            part, value = WAITING, f"{partner_id}|{due.isoformat()}"
        else:
            continue  # withdrawn before an answer
        moment, (desk_id, muni, key) = quarter(created), who(*person)
        yield moment, desk_id, muni, "answered", part, value, key


class _Figures:
    """The counted parts of the scan, per (quarter, measure, part, value): count, the persons
    known by key, and the largest number of persons of a summary row that keeps no keys (so
    that a combination is small exactly when it is about fewer than ``SMALL_CELL`` persons)."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.counted_at: datetime.datetime | None = None  # the refresh read; None: the registration
        self.entries: dict[str, list] = defaultdict(list)  # measure -> [quarter, part, value, entry]
        self._index: dict[tuple, list] = {}

    def _entry(self, quarter: Quarter, measure: str, part: str, value: str) -> list:
        key = (quarter, measure, part, value)
        entry = self._index.get(key)
        if entry is None:
            entry = self._index[key] = [0, set(), 0]
            self.entries[measure].append((quarter, part, value, entry))
        return entry

    def add_fact(self, quarter: Quarter, measure: str, part: str, value: str, person: int) -> None:
        entry = self._entry(quarter, measure, part, value)
        entry[0] += 1
        entry[1].add(person)

    def add_row(self, row: QuarterFigure) -> None:
        entry = self._entry(Quarter.of(row.quarter), row.measure, row.part, row.value)
        entry[0] += row.count
        if row.persons < SMALL_CELL:
            entry[1].update(row.person_keys)
        else:
            entry[2] = max(entry[2], row.persons)

    def _late(self, value: str) -> bool:
        """Whether a waiting referral ("partner|due") is past its day."""
        return datetime.date.fromisoformat(value.partition("|")[2]) < self.today

    def _merge(self, quarter, measure: str, parts: tuple[bool, ...], partner: str | None) -> tuple[int, int]:
        """(count, persons) of the "yes" (True) and/or "no" (False) parts; a referral still
        waiting is in "no" once its day has passed."""
        count, keys, largest = 0, set(), 0
        for found, part, value, entry in self.entries.get(measure, ()):
            if quarter != ALL_QUARTERS and found != quarter:
                continue
            if partner is not None and value.partition("|")[0] != partner:
                continue
            if part == YES:
                yes = True
            elif part == NO or (part == WAITING and self._late(value)):
                yes = False
            else:
                continue
            if yes not in parts:
                continue
            count += entry[0]
            keys |= entry[1]
            largest = max(largest, entry[2])
        return count, max(len(keys), largest)

    def total(self, quarter, measure: str, partner: str | None = None) -> Cell:
        count, persons = self._merge(quarter, measure, (True, False), partner)
        return Cell(count, COUNT, persons)

    def share(self, quarter, measure: str, partner: str | None = None) -> Cell:
        return share_cell(
            self._merge(quarter, measure, (True,), partner), self._merge(quarter, measure, (False,), partner)
        )

    def median_days(self, quarter: Quarter) -> int | None:
        days: dict[int, int] = defaultdict(int)
        for found, _part, value, entry in self.entries.get(LEAD_DAYS, ()):
            if found == quarter:
                days[int(value)] += entry[0]
        return median_of_counts(days)


def median_of_counts(counts: dict[int, int]) -> int | None:
    """:func:`median` of a list given as value -> how often."""
    total = sum(counts.values())
    if not total:
        return None
    rank, running = max(1, math.ceil(0.5 * total)), 0
    for value in sorted(counts):
        running += counts[value]
        if running >= rank:
            return value
    return None  # pragma: no cover


def _summarised(quarters: list[Quarter]) -> datetime.datetime | None:
    """When the refresh counted the oldest of ``quarters``; None unless it counted all of them."""
    firsts = {quarter.period.first for quarter in quarters}
    found = SummarisedPeriod.objects.filter(kind=SummarisedPeriod.Kind.QUALITY, first__in=firsts).aggregate(
        quarters=Count("pk"), oldest=Min("refreshed_at")
    )
    return found["oldest"] if found["quarters"] == len(firsts) else None


def quality_figures(scope: Scope, desk: Desk, quarters: list[Quarter], today: datetime.date) -> _Figures:
    """The facts of the four quarters: from the summary table when the refresh has counted
    every one of them, else from the registration."""
    figures = _Figures(today)
    figures.counted_at = _summarised(quarters)
    if figures.counted_at is not None:
        rows = QuarterFigure.objects.filter(desk=desk, quarter__in=[q.period.first for q in quarters])
        if scope.by_municipality:
            rows = rows.filter(municipality__in=[m.pk for m in scope.municipalities])
        for row in rows.only("quarter", "measure", "part", "value", "count", "persons", "person_keys"):
            figures.add_row(row)
        return figures
    for quarter, _desk, _muni, measure, part, value, person in quality_facts(
        start=quarters[0].start, end=quarters[-1].end, desk=desk, scope=scope
    ):
        figures.add_fact(quarter, measure, part, value, person)
    return figures


def quality_quarter_rows(quarter: Quarter, single: dict[int, int]) -> list[QuarterFigure]:
    """The summary rows of ``quarter`` (the refresh)."""
    cells: dict[tuple, list] = {}
    for _quarter, desk_id, muni, measure, part, value, person in quality_facts(
        start=quarter.start, end=quarter.end, single=single
    ):
        cell = cells.get((desk_id, muni, measure, part, value))
        if cell is None:
            cell = cells[(desk_id, muni, measure, part, value)] = [0, set()]
        cell[0] += 1
        if measure != LEAD_DAYS:  # the median needs no persons: those of the lead time count
            cell[1].add(person)
    first = quarter.period.first
    return [
        QuarterFigure(
            quarter=first, desk_id=desk_id, municipality_id=muni, measure=measure, part=part, value=value,
            count=count, persons=len(persons),
            person_keys=sorted(persons) if len(persons) < SMALL_CELL else [],
        )
        for (desk_id, muni, measure, part, value), (count, persons) in cells.items()
    ]  # fmt: skip


# --- the figures ----------------------------------------------------------------------------------


def share_cell(yes: tuple[int, int | None], no: tuple[int, int | None]) -> Cell:
    """A share as a percent cell. Like the dashboard's rates, it carries the persons of the
    smaller non-empty part: a share reveals both the part that counts and the rest, so for the
    policy view it hides when either is about fewer than five persons."""
    base = yes[0] + no[0]
    if not base:
        return Cell(None, PERCENT, None)
    persons = [part[1] for part in (yes, no) if part[0] and part[1] is not None]
    return Cell(yes[0] / base, PERCENT, min(persons) if persons else None)


def median(values: list[int]) -> int | None:
    """The nearest-rank median (the dashboards' percentile rule, here on exact days)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(0.5 * len(ordered))) - 1]


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _person(resident_id: int | None, contact_id: int) -> int:
    """Like the summary tables: the resident, or one person per anonymous contact."""
    return resident_id or -contact_id


def _quarter_table(key, title, columns: list[Column], quarters: list[Quarter], cells, description) -> Table:
    """Rows are quarters (the trend, oldest first); ``cells(quarter)`` gives a row's cells."""
    rows = [Row(quarter.slug, quarter.label, cells(quarter)) for quarter in quarters]
    title = _("%(title)s per kwartaal") % {"title": title}
    return Table(key, title, _("Kwartaal"), columns, rows, description=description, chart="line")


@dataclass
class Measure:
    """One dimension of the scan: its definition, its table (None when not available), and
    the reason when it is not available."""

    key: str
    title: Any
    dimension: Any  # the quickscan's dimension it belongs to
    definition: Any
    table: Table | None = None
    unavailable: Any = ""
    extra: list[Table] = field(default_factory=list)


def registration_completeness(figures: _Figures, quarters) -> Measure:
    def cells(quarter) -> dict[str, Cell]:
        # The questions of the quarter: complete or not, every one is in one of the two.
        result = {"questions": figures.total(quarter, "complete")}
        for name in REGISTRATION_PARTS:
            result[name] = figures.share(quarter, name)
        return result

    columns = [
        Column("questions", _("Vragen"), additive=False, chart=False),
        Column("complete", _("Volledig geregistreerd"), PERCENT, additive=False),
        Column("domain", _("Met levensdomein"), PERCENT, additive=False),
        Column("clarification", _("Met vraag achter de vraag"), PERCENT, additive=False),
        Column("outcome", _("Met uitkomst"), PERCENT, additive=False),
    ]
    definition = _(
        "Van de vragen die in het kwartaal zijn gesteld (datum van het contact): het deel met ten "
        "minste één levensdomein, met de vraag achter de vraag (vraagverheldering) ingevuld, en met "
        "een uitkomst. Volledig: alle drie. Een vraag die nog openstaat zonder uitkomst telt als "
        "onvolledig; een lopend kwartaal stijgt dus nog als vragen worden afgesloten."
    )
    table = _quarter_table(
        "kwaliteit-registratie", _("Volledigheid van de registratie"), columns, quarters, cells, definition
    )
    return Measure("registratie", _("Volledigheid van de registratie"), _("Registratie"), definition, table)


def question_lead_time(figures: _Figures, quarters) -> Measure:
    def cells(quarter) -> dict[str, Cell]:
        closed = figures.total(quarter, LEAD)
        return {
            "closed": closed,
            # The median carries the persons of the whole quarter: hidden when that is small.
            "median": Cell(figures.median_days(quarter), COUNT, closed.persons),
            "within": figures.share(quarter, LEAD),
        }

    columns = [
        Column("closed", _("Afgesloten vragen"), additive=False, chart=False),
        Column("median", _("Mediaan (dagen)"), additive=False),
        Column("within", _("Binnen 14 dagen afgesloten"), PERCENT, additive=False, chart=False),
    ]
    definition = _(
        "Van de vragen die in het kwartaal zijn afgesloten: het aantal kalenderdagen van het contact "
        "waarin de vraag werd gesteld tot het afsluiten. De mediaan: de helft was binnen zoveel dagen "
        "afgesloten. Daarnaast het deel dat binnen 14 dagen was afgesloten."
    )
    table = _quarter_table(
        "kwaliteit-doorlooptijd", _("Doorlooptijd van vragen"), columns, quarters, cells, definition
    )
    return Measure(
        "doorlooptijd", _("Doorlooptijd van vragen"), _("Afhandeling van vragen"), definition, table
    )


def referral_feedback(figures: _Figures, quarters) -> Measure:
    def cells(quarter) -> dict[str, Cell]:
        return {"closed": figures.total(quarter, "feedback"), "feedback": figures.share(quarter, "feedback")}

    columns = [
        Column("closed", _("Afgesloten verwijzingen"), additive=False, chart=False),
        Column("feedback", _("Met teruggekoppeld resultaat"), PERCENT, additive=False),
    ]
    definition = _(
        "Van de doorverwijzingen van het loket die in het kwartaal zijn afgesloten (afgerond, "
        "afgewezen of niet gelukt): het deel waarbij de partner een resultaat heeft vastgelegd. "
        "Ingetrokken verwijzingen tellen niet mee: die sloot het loket zelf af."
    )
    table = _quarter_table(
        "kwaliteit-terugkoppeling", _("Terugkoppeling op verwijzingen"), columns, quarters, cells, definition
    )
    return Measure(
        "terugkoppeling",
        _("Terugkoppeling op verwijzingen"),
        _("Betrokkenheid van aanbieders"),
        definition,
        table,
    )


def signalling_available() -> tuple[bool, Any]:
    """Whether signals can be counted, and if not, why."""
    if not apps.is_installed("schakelpunt.signalling"):
        return False, _(
            "De signalering (signalen aan gemeente en partners) is in deze installatie niet aanwezig."
        )
    try:
        from schakelpunt.signalling.models import Signal  # noqa: F401
    except ImportError:  # pragma: no cover - installed apps import
        return False, _("De signalering kan niet worden gelezen.")
    return True, ""


def unmet_needs_signalled(figures: _Figures, quarters) -> Measure:
    definition = _(
        "Onvervulde behoeften: vragen gesteld in het kwartaal die zijn afgesloten met ‘geen passend "
        "aanbod’, en verwijzingen die een partner in het kwartaal niet kon uitvoeren (geen plek, komt "
        "niet in aanmerking). Het deel daarvan dat als bewijs aan een signaal aan de gemeente of een "
        "partner is gekoppeld. Signalen die nog een voorstel zijn of die het loket niet heeft "
        "doorgezet, tellen niet mee."
    )
    title = _("Onvervulde behoeften omgezet in signalen")
    dimension = _("Analyse en signalering")
    available, reason = signalling_available()
    if not available:
        return Measure("signalen", title, dimension, definition, unavailable=reason)

    def cells(quarter) -> dict[str, Cell]:
        return {
            "unmet": figures.total(quarter, "signalled"),
            "signalled": figures.share(quarter, "signalled"),
        }

    columns = [
        Column("unmet", _("Onvervulde behoeften"), additive=False, chart=False),
        Column("signalled", _("Gekoppeld aan een signaal"), PERCENT, additive=False),
    ]
    table = _quarter_table("kwaliteit-signalen", title, columns, quarters, cells, definition)
    return Measure("signalen", title, dimension, definition, table)


# Partner involvement: partners whose directory entries are kept up to date, and who answer
# referrals within the agreed days.
DIRECTORY_WINDOW = datetime.timedelta(days=365)


def _partners(desk: Desk) -> list:
    return [
        participation.organisation
        for participation in Participation.objects.filter(
            desk=desk, is_back_office=True, organisation__is_active=True
        )
        .select_related("organisation")
        .order_by("organisation__name")
    ]


def _directory_updates(partner_ids: list[int], since: datetime.datetime, until: datetime.datetime):
    """Per partner organisation: the moments its services in the directory were changed or
    confirmed (the current state and the history), between ``since`` and ``until``."""
    from schakelpunt.directory.models import Service

    moments: dict[int, list[datetime.datetime]] = defaultdict(list)
    services = Service.objects.filter(organization__participant_id__in=partner_ids).exclude(
        status=Service.Status.DEFUNCT
    )
    for partner_id, updated in services.filter(updated_at__gte=since, updated_at__lt=until).values_list(
        "organization__participant_id", "updated_at"
    ):
        moments[partner_id].append(updated)
    history = Service.history.model.objects.filter(
        history_date__gte=since, history_date__lt=until, id__in=services.values("pk")
    ).values_list("organization_id", "history_date")
    from schakelpunt.directory.models import Organization

    participant_of = dict(
        Organization.objects.filter(participant_id__in=partner_ids).values_list("pk", "participant_id")
    )
    for organization_id, moment in history:
        if organization_id in participant_of:
            moments[participant_of[organization_id]].append(moment)
    return moments


def partner_involvement(figures: _Figures, desk, quarters) -> Measure:
    partners = _partners(desk)
    partner_ids = [partner.pk for partner in partners]
    first_since = quarters[0].end - DIRECTORY_WINDOW
    updates = _directory_updates(partner_ids, first_since, quarters[-1].end)

    def active(partner_id: int, quarter: Quarter) -> bool:
        since = quarter.end - DIRECTORY_WINDOW
        return any(since <= moment < quarter.end for moment in updates.get(partner_id, ()))

    def cells(quarter) -> dict[str, Cell]:
        active_count = sum(1 for partner_id in partner_ids if active(partner_id, quarter))
        return {
            "partners": Cell(len(partner_ids), COUNT, None),
            "directory": share_cell((active_count, None), (len(partner_ids) - active_count, None)),
            "referrals": figures.total(quarter, "answered"),
            "answered": figures.share(quarter, "answered"),
        }

    columns = [
        Column("partners", _("Partners in de backoffice"), additive=False, chart=False),
        Column("directory", _("Sociale kaart bijgewerkt"), PERCENT, additive=False),
        Column("referrals", _("Te beantwoorden verwijzingen"), additive=False, chart=False),
        Column("answered", _("Op tijd beantwoord"), PERCENT, additive=False),
    ]
    definition = _(
        "Partners: de organisaties met een rol in de backoffice van het loket. Sociale kaart "
        "bijgewerkt: het deel van die partners dat in de twaalf maanden tot het eind van het kwartaal "
        "ten minste één dienst in de sociale kaart heeft gewijzigd of bevestigd. Op tijd beantwoord: "
        "van de verwijzingen die het loket in het kwartaal verstuurde, het deel dat de partner "
        "uiterlijk op de afgesproken dag accepteerde of afwees; een verwijzing zonder antwoord telt "
        "mee zodra die dag voorbij is, een verwijzing die werd ingetrokken voordat er een antwoord "
        "was telt niet mee."
    )
    table = _quarter_table(
        "kwaliteit-partners", _("Betrokkenheid van partners"), columns, quarters, cells, definition
    )

    # Per partner, the four quarters together.
    last = quarters[-1]
    partner_rows = []
    for partner in partners:
        key = str(partner.pk)
        recent = [moment for moment in updates.get(partner.pk, ()) if last.end - DIRECTORY_WINDOW <= moment]
        partner_rows.append(
            Row(
                key,
                partner.name,
                {
                    "updates": Cell(len(recent), COUNT, None),
                    "referrals": figures.total(ALL_QUARTERS, "answered", key),
                    "answered": figures.share(ALL_QUARTERS, "answered", key),
                },
            )
        )
    per_partner_table = Table(
        "kwaliteit-per-partner",
        _("Per partner, de vier kwartalen samen"),
        _("Partner"),
        [
            Column("updates", _("Wijzigingen in de sociale kaart (12 maanden)"), additive=False, chart=False),
            Column("referrals", _("Te beantwoorden verwijzingen"), additive=False, chart=False),
            Column("answered", _("Op tijd beantwoord"), PERCENT, additive=False),
        ],
        partner_rows,
        description=_(
            "Wijzigingen: hoe vaak diensten van de partner in de twaalf maanden tot het eind van %(quarter)s "
            "zijn gewijzigd of bevestigd."
        )
        % {"quarter": last.label},
        chart=None,
    )
    return Measure(
        "partners",
        _("Betrokkenheid van partners"),
        _("Betrokkenheid van aanbieders"),
        definition,
        table,
        extra=[per_partner_table],
    )


def client_satisfaction() -> Measure:
    return Measure(
        "tevredenheid",
        _("Tevredenheid van inwoners"),
        _("Kwaliteit vanuit de inwoner"),
        _("Het deel van de inwoners dat na afloop van hun vraag tevreden is over de hulp van het loket."),
        unavailable=_(
            "Nog niet gemeten. Schakelpunt vraagt inwoners nog niet naar hun tevredenheid, dus er is geen "
            "cijfer; we tonen ook geen schatting. Meet het loket tevredenheid op een andere manier, vermeld "
            "dat dan in de zelfevaluatie hieronder."
        ),
    )


@dataclass
class QualityScan:
    desk: Desk
    scope: Scope
    quarters: list[Quarter]
    measures: list[Measure]
    suppressed: bool
    counted_at: datetime.datetime | None = None  # when the refresh counted them; None: read now

    @property
    def period_label(self) -> str:
        return f"{self.quarters[0].label} – {self.quarters[-1].label}"

    @property
    def tables(self) -> list[Table]:
        return [
            table
            for measure in self.measures
            for table in ([measure.table] if measure.table else []) + measure.extra
        ]


def quality_scan(
    *,
    viewer,
    desk: Desk,
    last_quarter: Quarter,
    today: datetime.date | None = None,
    scope: Scope | None = None,
) -> QualityScan:
    """The scan of ``desk`` for the four quarters up to ``last_quarter``, as ``viewer`` may see
    it. The desk must be one of :func:`quality_desks` (the view checks it)."""
    today = today or timezone.localdate()
    scope = scope or insight_scope(viewer)
    quarters = quarters_up_to(last_quarter)
    figures = quality_figures(scope, desk, quarters, today)
    measures = [
        registration_completeness(figures, quarters),
        question_lead_time(figures, quarters),
        referral_feedback(figures, quarters),
        unmet_needs_signalled(figures, quarters),
        partner_involvement(figures, desk, quarters),
        client_satisfaction(),
    ]
    scan = QualityScan(desk, scope, quarters, measures, scope.suppressed, figures.counted_at)
    if scope.suppressed:
        for table in scan.tables:
            table.suppress()
    return scan


# --- the self-assessment -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    title: Any
    explanation: Any


# From the resident's perspective, drawn from the source documents: the client organisations'
# wishes (one desk, no pillar to post, the question as the starting point, participation, links
# with complaint desks and informal-care support), Triade Zeist (one desk, not several desks in
# one; communication), Zorgloket Enschede (as few hands as possible; short lead times), Delphion
# (clarifying the question and helping people on their way), Zorgwijzer Bergen op Zoom (district
# hours not low-threshold), the participants page (clear information; independence of providers
# in the front office) and the discussion (opening hours; reaching vulnerable groups).
CHECKLIST = [
    ChecklistItem(
        "een_loket",
        _("Eén loket, niet meerdere loketten in één"),
        _(
            "De inwoner vertelt zijn verhaal één keer, voor wonen, zorg en welzijn samen, ook als er "
            "meer organisaties achter het loket zitten."
        ),
    ),
    ChecklistItem(
        "duidelijke_informatie",
        _("Duidelijke informatie"),
        _(
            "De inwoner krijgt begrijpelijke informatie over wat er kan, wat het kost en wie wat doet, "
            "welke organisatie de vraag ook beantwoordt."
        ),
    ),
    ChecklistItem(
        "niet_van_het_kastje",
        _("Niet van het kastje naar de muur"),
        _(
            "Wie wordt doorverwezen, wordt warm overgedragen; het loket volgt de verwijzing tot er een "
            "uitkomst is en de inwoner hoeft niet zelf opnieuw te beginnen."
        ),
    ),
    ChecklistItem(
        "vraag_is_uitgangspunt",
        _("De vraag van de inwoner is het uitgangspunt"),
        _(
            "Het loket werkt vanuit de vraag en de wensen van de inwoner, niet vanuit het aanbod van de "
            "partners."
        ),
    ),
    ChecklistItem(
        "vraagverheldering",
        _("Vraagverheldering én op weg helpen"),
        _(
            "Het loket zoekt de vraag achter de vraag en helpt de inwoner daadwerkelijk op weg, met "
            "onafhankelijke cliëntondersteuning als dat nodig is."
        ),
    ),
    ChecklistItem(
        "weinig_handen",
        _("Zo min mogelijk handen, zo snel mogelijk"),
        _("Zo weinig mogelijk verschillende medewerkers aan één inwoner, en een korte doorlooptijd."),
    ),
    ChecklistItem(
        "laagdrempelig",
        _("Laagdrempelig en bereikbaar"),
        _(
            "Openingstijden, telefoon, online en wijkspreekuren passen bij de inwoners; een spreekuur in "
            "de wijk is niet drempelverhogend door sociale controle."
        ),
    ),
    ChecklistItem(
        "onafhankelijk",
        _("Onafhankelijk advies"),
        _(
            "Een aanbieder in de frontoffice verwijst niet vanzelf naar het eigen aanbod; de inwoner "
            "hoort welke keuzes er zijn."
        ),
    ),
    ChecklistItem(
        "inwoners_denken_mee",
        _("Inwoners en cliëntenorganisaties denken mee"),
        _(
            "Cliëntenorganisaties zijn betrokken bij het loket, en klachten, het klachtenbureau en het "
            "steunpunt mantelzorg zijn vanuit het loket te vinden."
        ),
    ),
    ChecklistItem(
        "kwetsbare_groepen",
        _("Kwetsbare groepen worden bereikt"),
        _(
            "Het loket weet welke wijken en groepen het weinig bereikt (zie de bereikanalyse) en doet er "
            "iets aan."
        ),
    ),
]
CHECKLIST_CODES = [item.code for item in CHECKLIST]
SCORES = [
    (1, _("Voldoet niet")),
    (2, _("Voldoet deels")),
    (3, _("Voldoet grotendeels")),
    (4, _("Voldoet volledig")),
]
SCORE_LABELS = dict(SCORES)
MAX_NOTE = 1000


def self_assessments(*, viewer, desk: Desk) -> QuerySet[SelfAssessment]:
    """The desk's self-assessments, newest year first (the history). The caller has checked
    that the desk is in the viewer's scope (:func:`quality_desks`)."""
    if not viewer.has_perm("organisations.view_selfassessment"):
        return SelfAssessment.objects.none()
    return (
        SelfAssessment.objects.filter(desk=desk).select_related("created_by", "updated_by").order_by("-year")
    )


def may_fill_in(user, desk: Desk) -> bool:
    """The coordinator of the desk: may change self-assessments, and works at this desk."""
    return user.has_perm("organisations.change_selfassessment") and user.desks.filter(pk=desk.pk).exists()


def editable_year(today: datetime.date | None = None) -> int:
    """Only this year's self-assessment can be filled in or changed; earlier years are history."""
    return (today or timezone.localdate()).year


def _clean_answers(answers: dict) -> dict[str, dict[str, Any]]:
    errors: dict[str, list] = {}
    cleaned = {}
    unknown = set(answers) - set(CHECKLIST_CODES)
    if unknown:
        errors["answers"] = [_("Onbekende onderdelen: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}]
    for code in CHECKLIST_CODES:
        answer = answers.get(code) or {}
        score = answer.get("score")
        note = str(answer.get("note") or "").strip()
        try:
            score = int(score)
        except (TypeError, ValueError):
            score = None
        if score not in SCORE_LABELS:
            errors[f"{code}_score"] = [_("Kies een score.")]
        if len(note) > MAX_NOTE:
            errors[f"{code}_note"] = [_("Gebruik ten hoogste %(max)s tekens.") % {"max": MAX_NOTE}]
        cleaned[code] = {"score": score, "note": note}
    if errors:
        raise ValidationError(errors)
    return cleaned


def self_assessment_save(
    *,
    acting_user,
    desk: Desk,
    year: int,
    answers: dict[str, dict[str, Any]],
    version: int | None = None,
    request=None,
    today: datetime.date | None = None,
) -> SelfAssessment:
    """Fill in or change the desk's self-assessment of ``year``: a score (1-4) and a note per
    checklist item. Only the coordinator of the desk, only for the current year. ``version``:
    the version the form was opened on; when someone saved in between, ConflictError and nothing
    is saved."""
    if not may_fill_in(acting_user, desk):
        raise PermissionDenied
    if year != editable_year(today):
        raise ValidationError(
            {"year": [_("Alleen de zelfevaluatie van dit jaar kan worden ingevuld of gewijzigd.")]}
        )
    cleaned = _clean_answers(answers)
    with transaction.atomic():
        existing = SelfAssessment.objects.select_for_update().filter(desk=desk, year=year).first()
        if existing is None:
            if version not in (None, 0):
                raise ConflictError
            assessment = SelfAssessment.objects.create(
                desk=desk, year=year, answers=cleaned, created_by=acting_user, updated_by=acting_user
            )
            action = Action.CREATE
        else:
            if version is not None and version != existing.version:
                raise ConflictError
            existing.answers = cleaned
            existing.updated_by = acting_user
            existing.version += 1
            existing.save(update_fields=["answers", "updated_by", "version", "updated_at"])
            assessment = existing
            action = Action.CHANGE
        access_log_record(
            acting_user=acting_user,
            action=action,
            object_type="organisations.selfassessment",
            object_id=assessment.pk,
            request=request,
            purpose="self_assessment",
        )
    return assessment


@dataclass
class AnsweredItem:
    item: ChecklistItem
    score: int | None
    score_label: Any
    note: str


def answered_items(assessment: SelfAssessment | None) -> list[AnsweredItem]:
    answers = assessment.answers if assessment else {}
    result = []
    for item in CHECKLIST:
        answer = answers.get(item.code) or {}
        score = answer.get("score")
        result.append(AnsweredItem(item, score, SCORE_LABELS.get(score, ""), answer.get("note", "")))
    return result


def average_score(assessment: SelfAssessment) -> float | None:
    scores = [answer.get("score") for answer in assessment.answers.values() if answer.get("score")]
    return sum(scores) / len(scores) if scores else None
