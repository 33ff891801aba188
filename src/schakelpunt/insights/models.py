"""Summary tables: what the dashboards read instead of five million contacts.

Every row is derived from the registration and can be rebuilt from it at any time
(``schakelpunt insights_refresh``); the refresh replaces whole months, so running it twice gives
the same rows. See docs/subsystems/insights.md and ADR 0010.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.access import VisibleQuerySet

# Below this many persons a cell is small: the policy view shows "< 5" instead of the figure.
SMALL_CELL = 5


class MonthlyCount(models.Model):
    """One figure for one month, desk and municipality: ``count`` items of ``measure`` with
    ``dimension`` = ``value`` (e.g. questions with channel "phone"), and the number of distinct
    persons behind them.

    ``persons`` counts distinct residents, plus one for every anonymous contact. Distinct counts
    do not add up over months or desks, so a row with fewer than ``SMALL_CELL`` persons also
    keeps *who* they are (``person_keys``: resident ids, and minus the contact id for anonymous
    contacts). The union of those keys tells exactly whether a combined cell is small; a row with
    ``SMALL_CELL`` or more persons proves on its own that it is not.
    """

    month = models.DateField(_("maand"), help_text=_("De eerste dag van de maand."))
    desk = models.ForeignKey(
        "organisations.Desk", verbose_name=_("loket"), on_delete=models.CASCADE, related_name="+"
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("De gemeente van de inwoner (anders die van de locatie); leeg als onbekend."),
    )
    measure = models.CharField(_("wat geteld is"), max_length=32)
    dimension = models.CharField(_("uitgesplitst naar"), max_length=16)
    value = models.CharField(_("waarde"), max_length=40, blank=True)
    count = models.PositiveIntegerField(_("aantal"))
    persons = models.PositiveIntegerField(_("personen"))
    person_keys = models.JSONField(_("personen (alleen bij kleine aantallen)"), default=list, blank=True)

    class Meta:
        verbose_name = _("maandtelling")
        verbose_name_plural = _("maandtellingen")
        default_permissions = ()
        permissions = [
            ("view_dashboard", _("Kan de dashboards van Inzicht openen")),
            ("view_desk_figures", _("Kan alle cijfers van de eigen loketten zien")),
            (
                "view_municipality_aggregates",
                _("Kan totalen van de eigen gemeente zien, kleine aantallen afgeschermd"),
            ),
        ]
        indexes = [
            models.Index(fields=["month", "desk", "measure"], name="insights_count_month_desk"),
            models.Index(fields=["month", "municipality", "measure"], name="insights_count_month_muni"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.measure} {self.dimension}={self.value}: {self.count}"


class LeadTimeCount(models.Model):
    """How many lead times of ``measure`` that ended in this month fell into a bucket of days.

    Percentiles are read from the sums of these counts (docs/subsystems/insights.md).
    """

    month = models.DateField(_("maand"))
    desk = models.ForeignKey(
        "organisations.Desk", verbose_name=_("loket"), on_delete=models.CASCADE, related_name="+"
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    measure = models.CharField(_("doorlooptijd"), max_length=32)
    bucket = models.PositiveIntegerField(_("tot en met (dagen)"))
    count = models.PositiveIntegerField(_("aantal"))

    class Meta:
        verbose_name = _("doorlooptijdtelling")
        verbose_name_plural = _("doorlooptijdtellingen")
        default_permissions = ()
        indexes = [
            models.Index(fields=["month", "desk"], name="insights_lead_month_desk"),
            models.Index(fields=["month", "municipality"], name="insights_lead_month_muni"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.measure} ≤{self.bucket}: {self.count}"


class RefreshRun(models.Model):
    """One run of the refresh: which months it rebuilt, and when it finished."""

    started_at = models.DateTimeField(_("begonnen op"))
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    first_month = models.DateField(_("eerste maand"), null=True, blank=True)
    months = models.JSONField(_("maanden"), default=list)
    rows = models.PositiveIntegerField(_("regels"), default=0)

    class Meta:
        verbose_name = _("verversing van de cijfers")
        verbose_name_plural = _("verversingen van de cijfers")
        default_permissions = ()
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%d-%m-%Y %H:%M} ({len(self.months)})"


class SummarisedPeriod(models.Model):
    """A period whose quality-scan or reach figures are in the summary tables, and when they
    were counted. The pages read the summary rows of a period only when it is listed here,
    and count from the registration otherwise."""

    class Kind(models.TextChoices):
        QUALITY = "quality", _("Kwaliteitsscan (kwartaal)")
        REACH = "reach", _("Bereik")

    kind = models.CharField(_("soort"), max_length=8, choices=Kind.choices)
    first = models.DateField(_("eerste maand"))
    last = models.DateField(_("laatste maand"))
    refreshed_at = models.DateTimeField(_("geteld op"))

    class Meta:
        verbose_name = _("getelde periode")
        verbose_name_plural = _("getelde perioden")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "first", "last"], name="insights_summarised_period_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.first:%Y-%m} – {self.last:%Y-%m}"


class QuarterFigure(models.Model):
    """One part of a quality-scan figure for one quarter, desk and municipality (the same
    attribution as :class:`MonthlyCount`): ``count`` items of ``measure`` in ``part`` ("yes",
    "no", or "waiting": referrals without an answer, whose lateness depends on the day),
    broken down by ``value`` (a partner, a number of days, a partner and due date).

    ``persons`` and ``person_keys`` as in :class:`MonthlyCount`: the keys are kept below
    ``SMALL_CELL`` persons, so a combination of rows is exactly small or not.
    """

    quarter = models.DateField(_("kwartaal"), help_text=_("De eerste dag van het kwartaal."))
    desk = models.ForeignKey(
        "organisations.Desk", verbose_name=_("loket"), on_delete=models.CASCADE, related_name="+"
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    measure = models.CharField(_("wat geteld is"), max_length=32)
    part = models.CharField(_("deel"), max_length=8, blank=True)
    value = models.CharField(_("waarde"), max_length=40, blank=True)
    count = models.PositiveIntegerField(_("aantal"))
    persons = models.PositiveIntegerField(_("personen"))
    person_keys = models.JSONField(_("personen (alleen bij kleine aantallen)"), default=list, blank=True)

    class Meta:
        verbose_name = _("kwartaaltelling")
        verbose_name_plural = _("kwartaaltellingen")
        default_permissions = ()
        indexes = [models.Index(fields=["desk", "quarter"], name="insights_quarter_desk")]

    def __str__(self) -> str:
        return f"{self.quarter:%Y-%m} {self.measure} {self.part} {self.value}: {self.count}"


class ReachFigure(models.Model):
    """Residents reached in a period (``first`` to ``last`` month): distinct residents with a
    contact at ``desk`` (empty: at any desk), per municipality and district where they live
    and the age band at their first such contact in the period. Residents belong to one
    municipality, so rows of several municipalities add up."""

    first = models.DateField(_("eerste maand"))
    last = models.DateField(_("laatste maand"))
    desk = models.ForeignKey(
        "organisations.Desk",
        verbose_name=_("loket"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    district = models.ForeignKey(
        "organisations.District",
        verbose_name=_("wijk"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    age_band = models.CharField(_("leeftijdsgroep"), max_length=8, blank=True)
    count = models.PositiveIntegerField(_("bereikte inwoners"))

    class Meta:
        verbose_name = _("bereiktelling")
        verbose_name_plural = _("bereiktellingen")
        default_permissions = ()
        indexes = [models.Index(fields=["first", "last", "desk"], name="insights_reach_period_desk")]

    def __str__(self) -> str:
        return f"{self.first:%Y-%m}–{self.last:%Y-%m} {self.district_id} {self.age_band}: {self.count}"


EXPORT_FOLDER = "insights/exports"  # under MEDIA_ROOT


def export_path(instance: "ExportJob", filename: str) -> str:
    """Where a finished export is kept, under MEDIA_ROOT: a random name, never the title."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"{EXPORT_FOLDER}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ExportJobQuerySet(VisibleQuerySet):
    def visible_to(self, user) -> "ExportJobQuerySet":
        """Only the user's own jobs, and only while they may open Inzicht."""
        if not user.is_authenticated or not user.is_active or not user.has_perm("insights.view_dashboard"):
            return self.none()
        return self.filter(requested_by=user)


class ExportJob(models.Model):
    """A long export made in the background: the annual report (PDF) or all tables (XLSX).

    ``parameters`` holds what was asked (year or months, desks, municipality) and the
    requester's scope at that moment (``scope``) and when it was built (``built_scope``); the
    task recomputes the figures with the requester's permissions of that moment. The file is
    stored under ``MEDIA_ROOT`` and only reaches its requester through the download view.
    Statuses and their transitions: :mod:`schakelpunt.insights.jobs`.
    """

    class Kind(models.TextChoices):
        ANNUAL_REPORT = "annual_report", _("Jaarverslag (PDF)")
        ALL_TABLES = "all_tables", _("Alle tabellen (Excel)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")
        EXPIRED = "expired", _("Verlopen")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("omschrijving"), max_length=200)
    parameters = models.JSONField(_("keuzes"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    message = models.CharField(_("melding"), max_length=300, blank=True)
    file = models.FileField(_("bestand"), upload_to=export_path, blank=True)
    filename = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    content_type = models.CharField(_("bestandstype"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("grootte (bytes)"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("beschikbaar tot"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        default_permissions = ()
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="insights_export_user")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="insights_export_progress_max")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)
