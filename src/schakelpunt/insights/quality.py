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
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.contacts.models import Question
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.insights.periods import Period, add_months
from schakelpunt.insights.selectors import Scope, insight_scope
from schakelpunt.insights.tables import COUNT, PERCENT, Cell, Column, Row, Table
from schakelpunt.organisations.models import Desk, Participation, SelfAssessment
from schakelpunt.referrals.models import Referral, UnmetNeed

S = Referral.Status
QUARTERS_SHOWN = 4
SHORT_LEAD_DAYS = 14
ALL_QUARTERS = "all"  # the key of figures over the four quarters together

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


# --- the figures ----------------------------------------------------------------------------------


class _Parts:
    """Counts and distinct persons of the "yes" and "no" part of a share, per quarter."""

    def __init__(self) -> None:
        self.count: dict[tuple, int] = defaultdict(int)
        self.persons: dict[tuple, set] = defaultdict(set)

    def add(self, quarter: Quarter | str, name: str, yes: bool, person: int) -> None:
        self.count[(quarter, name, yes)] += 1
        self.persons[(quarter, name, yes)].add(person)

    def total(self, quarter: Quarter | str, name: str) -> Cell:
        count = self.count[(quarter, name, True)] + self.count[(quarter, name, False)]
        persons = self.persons[(quarter, name, True)] | self.persons[(quarter, name, False)]
        return Cell(count, COUNT, len(persons))

    def share(self, quarter: Quarter | str, name: str) -> Cell:
        return share_cell(
            (self.count[(quarter, name, True)], len(self.persons[(quarter, name, True)])),
            (self.count[(quarter, name, False)], len(self.persons[(quarter, name, False)])),
        )


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


def _quarter_of(moment: datetime.datetime, quarters: list[Quarter]) -> Quarter | None:
    found = Quarter.of(_local_date(moment))
    return found if found in quarters else None


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


def registration_completeness(scope, desk, quarters) -> Measure:
    has_domain = Exists(Question.domains.through.objects.filter(question_id=OuterRef("pk")))
    parts_q = {
        "domain": Q(has_domain=True),
        "clarification": ~Q(clarification=""),
        "outcome": ~Q(outcome=""),
    }
    parts_q["complete"] = parts_q["domain"] & parts_q["clarification"] & parts_q["outcome"]
    questions = Question.objects.filter(
        Q(
            contact__desk=desk,
            contact__started_at__gte=quarters[0].start,
            contact__started_at__lt=quarters[-1].end,
        )
        & _municipality_q(scope, desk, resident="contact__resident", location="contact__location")
    ).annotate(has_domain=has_domain)
    aggregates = {}
    for quarter in quarters:
        in_quarter = Q(contact__started_at__gte=quarter.start, contact__started_at__lt=quarter.end)
        aggregates.update(_person_counts(f"all_{quarter.slug}", in_quarter))
        for name, condition in parts_q.items():
            for yes, part in ((True, condition), (False, ~condition)):
                aggregates.update(_person_counts(f"{quarter.slug}_{name}_{int(yes)}", in_quarter & part))
    found = questions.order_by().aggregate(**aggregates)

    def part(key: str) -> tuple[int, int]:
        return found[f"n_{key}"], found[f"r_{key}"] + found[f"a_{key}"]

    def cells(quarter) -> dict[str, Cell]:
        count, persons = part(f"all_{quarter.slug}")
        result = {"questions": Cell(count, COUNT, persons)}
        for name in parts_q:
            result[name] = share_cell(part(f"{quarter.slug}_{name}_1"), part(f"{quarter.slug}_{name}_0"))
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


def _person_counts(key: str, where: Q) -> dict[str, Count]:
    """Aggregates of questions matching ``where``: their number (``n_``), distinct residents
    (``r_``) and anonymous contacts (``a_``, one person each, as in the summary tables)."""
    return {
        f"n_{key}": Count("pk", filter=where),
        f"r_{key}": Count(
            "contact__resident", distinct=True, filter=where & Q(contact__resident__isnull=False)
        ),
        f"a_{key}": Count("contact", distinct=True, filter=where & Q(contact__resident__isnull=True)),
    }


def question_lead_time(scope, desk, quarters) -> Measure:
    rows = (
        Question.objects.filter(
            Q(contact__desk=desk, closed_at__gte=quarters[0].start, closed_at__lt=quarters[-1].end)
            & _municipality_q(scope, desk, resident="contact__resident", location="contact__location")
        )
        .order_by()
        .values_list("contact__started_at", "closed_at", "contact__resident_id", "contact_id")
    )
    days: dict[Quarter, list[int]] = defaultdict(list)
    parts = _Parts()
    for started, closed, resident_id, contact_id in rows:
        quarter = _quarter_of(closed, quarters)
        if quarter is None:
            continue
        lead = max(0, (_local_date(closed) - _local_date(started)).days)
        days[quarter].append(lead)
        parts.add(quarter, "within", lead <= SHORT_LEAD_DAYS, _person(resident_id, contact_id))

    def cells(quarter) -> dict[str, Cell]:
        closed = parts.total(quarter, "within")
        return {
            "closed": closed,
            # The median carries the persons of the whole quarter: hidden when that is small.
            "median": Cell(median(days[quarter]), COUNT, closed.persons),
            "within": parts.share(quarter, "within"),
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


def referral_feedback(scope, desk, quarters) -> Measure:
    closed = (
        Referral.objects.filter(
            Q(
                referring_desk=desk,
                closed_at__gte=quarters[0].start,
                closed_at__lt=quarters[-1].end,
                status__in=[S.COMPLETED, S.REJECTED, S.FAILED],
            )
            & _municipality_q(scope, desk, resident="resident", location="question__contact__location")
        )
        .order_by()
        .values_list("closed_at", "outcome", "resident_id", "question__contact_id")
    )
    parts = _Parts()
    for closed_at, outcome, resident_id, contact_id in closed:
        quarter = _quarter_of(closed_at, quarters)
        if quarter is not None:
            parts.add(quarter, "feedback", bool(outcome.strip()), _person(resident_id, contact_id))

    def cells(quarter) -> dict[str, Cell]:
        return {"closed": parts.total(quarter, "feedback"), "feedback": parts.share(quarter, "feedback")}

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


def unmet_needs_signalled(scope, desk, quarters) -> Measure:
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
    from schakelpunt.signalling.models import Signal, SignalQuestion, SignalUnmetNeed

    real = ~Q(signal__status__in=Signal.DESK_ONLY_STATUSES)
    question_linked = Exists(SignalQuestion.objects.filter(real, question_id=OuterRef("pk")))
    need_linked = Exists(SignalUnmetNeed.objects.filter(real, unmet_need_id=OuterRef("pk")))
    parts = _Parts()
    questions = (
        Question.objects.filter(
            Q(
                contact__desk=desk,
                outcome=Question.Outcome.NO_SUPPLY,
                contact__started_at__gte=quarters[0].start,
                contact__started_at__lt=quarters[-1].end,
            )
            & _municipality_q(scope, desk, resident="contact__resident", location="contact__location")
        )
        .annotate(linked=question_linked)
        .order_by()
        .values_list("contact__started_at", "linked", "contact__resident_id", "contact_id")
    )
    needs = (
        UnmetNeed.objects.filter(
            Q(
                referral__referring_desk=desk,
                recorded_at__gte=quarters[0].start,
                recorded_at__lt=quarters[-1].end,
            )
            & _municipality_q(
                scope, desk, resident="referral__resident", location="question__contact__location"
            )
        )
        .annotate(linked=need_linked)
        .order_by()
        .values_list("recorded_at", "linked", "referral__resident_id", "question__contact_id")
    )
    for rows in (questions, needs):
        for moment, linked, resident_id, contact_id in rows:
            quarter = _quarter_of(moment, quarters)
            if quarter is not None:
                parts.add(quarter, "signalled", bool(linked), _person(resident_id, contact_id))

    def cells(quarter) -> dict[str, Cell]:
        return {"unmet": parts.total(quarter, "signalled"), "signalled": parts.share(quarter, "signalled")}

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


def partner_involvement(scope, desk, quarters, today: datetime.date) -> Measure:
    partners = _partners(desk)
    partner_ids = [partner.pk for partner in partners]
    first_since = quarters[0].end - DIRECTORY_WINDOW
    updates = _directory_updates(partner_ids, first_since, quarters[-1].end)

    # Referrals made in the quarter and whether the partner answered (accepted or rejected) by
    # the agreed day; those still waiting count once the day has passed.
    referrals = (
        Referral.objects.filter(
            Q(referring_desk=desk, created_at__gte=quarters[0].start, created_at__lt=quarters[-1].end)
            & _municipality_q(scope, desk, resident="resident", location="question__contact__location")
        )
        .order_by()
        .values_list(
            "created_at", "status", "accepted_at", "closed_at", "due_accept", "organisation_id",
            "resident_id", "question__contact_id",
        )
    )  # fmt: skip
    answered = _Parts()
    per_partner = _Parts()
    for created, status, accepted, closed, due, partner_id, resident_id, contact_id in referrals:
        quarter = _quarter_of(created, quarters)
        if quarter is None:
            continue
        if accepted is not None:
            on_time = _local_date(accepted) <= due
        elif status == S.REJECTED and closed is not None:
            on_time = _local_date(closed) <= due
        elif status in (S.REQUESTED, S.ON_HOLD) and due < today:
            on_time = False
        else:
            continue  # withdrawn before an answer, or the day has not come yet
        person = _person(resident_id, contact_id)
        answered.add(quarter, "answered", on_time, person)
        per_partner.add(ALL_QUARTERS, str(partner_id), on_time, person)

    def active(partner_id: int, quarter: Quarter) -> bool:
        since = quarter.end - DIRECTORY_WINDOW
        return any(since <= moment < quarter.end for moment in updates.get(partner_id, ()))

    def cells(quarter) -> dict[str, Cell]:
        active_count = sum(1 for partner_id in partner_ids if active(partner_id, quarter))
        return {
            "partners": Cell(len(partner_ids), COUNT, None),
            "directory": share_cell((active_count, None), (len(partner_ids) - active_count, None)),
            "referrals": answered.total(quarter, "answered"),
            "answered": answered.share(quarter, "answered"),
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
                    "referrals": per_partner.total(ALL_QUARTERS, key),
                    "answered": per_partner.share(ALL_QUARTERS, key),
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
    measures = [
        registration_completeness(scope, desk, quarters),
        question_lead_time(scope, desk, quarters),
        referral_feedback(scope, desk, quarters),
        unmet_needs_signalled(scope, desk, quarters),
        partner_involvement(scope, desk, quarters, today),
        client_satisfaction(),
    ]
    scan = QualityScan(desk, scope, quarters, measures, scope.suppressed)
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
