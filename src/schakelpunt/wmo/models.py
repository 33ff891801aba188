"""Wmo reports (meldingen): from the report through the investigation, the application and the
decision, with the statutory deadlines written onto the report (see ``deadlines.py``)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schakelpunt.core.access import VisibleQuerySet
from schakelpunt.core.models import TimeStampedModel


class WmoReportQuerySet(VisibleQuerySet):
    def visible_to(self, user) -> "WmoReportQuerySet":
        """Consultants and coordinators see the reports of their desks' teams and those
        assigned to them; the front office sees the reports of their desks, but only their
        status (see :meth:`status_visible_to` and the views). Deny by default."""
        if not user.is_authenticated or not user.is_active or not user.has_perm("wmo.view_wmoreport"):
            return self.none()
        return self.filter(Q(desk__in=user.desks.all()) | Q(consultant=user))

    def status_visible_to(self, user) -> "WmoReportQuerySet":
        """Reports whose phase and deadlines a user may see: everyone who sees the whole report,
        and the front office of the desk where it was made (status only)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("wmo.view_wmoreport"):
            return self.visible_to(user)
        if user.has_perm("wmo.view_wmoreport_status"):
            return self.filter(desk__in=user.desks.all())
        return self.none()

    def open(self) -> "WmoReportQuerySet":
        return self.filter(status__in=WmoReport.OPEN_STATUSES)


class WmoReport(TimeStampedModel):
    """A report (melding) of a need for support under the Wmo 2015."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("Gemeld")
        INVESTIGATION = "investigation", _("In onderzoek")
        APPLICATION = "application", _("Aanvraag ontvangen")
        DECIDED = "decided", _("Besluit genomen")
        CIZ = "ciz", _("Doorverwezen naar het CIZ (Wlz)")
        CLOSED = "closed", _("Afgesloten")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    class Reporter(models.TextChoices):
        RESIDENT = "resident", _("De inwoner zelf")
        REPRESENTATIVE = "representative", _("Wettelijk vertegenwoordiger")
        INFORMAL_CARER = "informal_carer", _("Mantelzorger of naaste")
        PROFESSIONAL = "professional", _("Professional (huisarts, wijkverpleging, ...)")
        OTHER = "other", _("Anders")

    class Decision(models.TextChoices):
        GRANTED = "granted", _("Toegekend")
        PARTLY = "partly", _("Gedeeltelijk toegekend")
        REFUSED = "refused", pgettext_lazy("Wmo decision", "Afgewezen")

    class CizOutcome(models.TextChoices):
        PENDING = "pending", _("Nog geen besluit")
        GRANTED = "granted", _("Wlz-indicatie afgegeven")
        REFUSED = "refused", _("Geen Wlz-indicatie")

    class CloseReason(models.TextChoices):
        DECIDED = "decided", _("Besluit genomen")
        NO_APPLICATION = "no_application", _("Geen aanvraag na het onderzoek")
        CIZ = "ciz", _("Zorg via de Wlz")
        DECEASED = "deceased", _("Inwoner overleden")
        MOVED_AWAY = "moved_away", _("Inwoner verhuisd")
        OTHER = "other", _("Anders")

    OPEN_STATUSES = (Status.REPORTED, Status.INVESTIGATION, Status.APPLICATION, Status.DECIDED, Status.CIZ)
    # Phases in which a statutory deadline runs (see deadlines.py).
    DEADLINE_STATUSES = (Status.REPORTED, Status.INVESTIGATION, Status.APPLICATION)

    resident = models.ForeignKey(
        "residents.Resident", verbose_name=_("inwoner"), on_delete=models.PROTECT, related_name="wmo_reports"
    )
    question = models.ForeignKey(
        "contacts.Question",
        verbose_name=_("hulpvraag"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wmo_reports",
        help_text=_("De vraag bij het loket waaruit de melding voortkwam, als die er is."),
    )
    desk = models.ForeignKey(
        "organisations.Desk",
        verbose_name=_("loket"),
        on_delete=models.PROTECT,
        related_name="wmo_reports",
        help_text=_("Het loket waar de melding binnenkwam; het team van dit loket behandelt haar."),
    )
    reported_on = models.DateField(_("datum van de melding"), default=timezone.localdate)
    reporter = models.CharField(
        _("gemeld door"), max_length=20, choices=Reporter.choices, default=Reporter.RESIDENT
    )
    reporter_name = models.CharField(
        _("naam van de melder"),
        max_length=200,
        blank=True,
        help_text=_("Als iemand anders meldt dan de inwoner."),
    )
    summary = models.TextField(_("waar de inwoner ondersteuning bij nodig heeft"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        related_name="wmo_reports_registered",
    )
    # Wmo 2015 art. 2.3.2 lid 3: the municipality points the resident and their informal carer
    # to free client support before the investigation. Must be answered (no default).
    client_support_offered = models.BooleanField(_("gratis cliëntondersteuning aangeboden"))
    client_support_accepted = models.BooleanField(_("cliëntondersteuning gewenst"), null=True, blank=True)

    status = models.CharField(_("fase"), max_length=16, choices=Status.choices, default=Status.REPORTED)
    status_changed_at = models.DateTimeField(_("fase gewijzigd op"), default=timezone.now)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consulent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wmo_reports_assigned",
    )

    # The investigation (onderzoek).
    investigation_started_on = models.DateField(_("onderzoek gestart op"), null=True, blank=True)
    personal_plan_received_on = models.DateField(_("persoonlijk plan ontvangen op"), null=True, blank=True)
    conversation_on = models.DateField(_("datum van het gesprek"), null=True, blank=True)
    conversation_report = models.TextField(_("verslag van het gesprek"), blank=True)
    investigation_completed_on = models.DateField(_("onderzoek afgerond op"), null=True, blank=True)

    # The application (aanvraag) and the decision (beschikking).
    application_received_on = models.DateField(_("aanvraag ontvangen op"), null=True, blank=True)
    decision = models.CharField(_("besluit"), max_length=10, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("wat is besloten"), blank=True)
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)

    # Referral to the CIZ when long-term care (Wlz) is indicated: outside the municipality.
    ciz_referred_on = models.DateField(_("doorverwezen naar het CIZ op"), null=True, blank=True)
    ciz_outcome = models.CharField(_("uitkomst CIZ"), max_length=10, choices=CizOutcome.choices, blank=True)
    ciz_outcome_on = models.DateField(_("uitkomst CIZ op"), null=True, blank=True)
    ciz_note = models.TextField(_("toelichting CIZ"), blank=True)

    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    close_reason = models.CharField(
        _("reden van afsluiten"), max_length=16, choices=CloseReason.choices, blank=True
    )

    # Statutory deadlines, written when the phase starts and moved by suspensions (deadlines.py).
    due_personal_plan = models.DateField(_("persoonlijk plan uiterlijk"))
    due_investigation = models.DateField(_("onderzoek uiterlijk af"))
    due_decision = models.DateField(_("besluit uiterlijk"), null=True, blank=True)
    investigation_suspended_days = models.PositiveIntegerField(default=0, editable=False)
    decision_suspended_days = models.PositiveIntegerField(default=0, editable=False)
    suspended_since = models.DateField(_("opgeschort sinds"), null=True, blank=True, editable=False)

    version = models.PositiveIntegerField(default=1, editable=False)

    objects = WmoReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("Wmo-melding")
        verbose_name_plural = _("Wmo-meldingen")
        ordering = ["-reported_on", "-id"]
        permissions = [
            ("work_wmoreport", _("Kan Wmo-meldingen behandelen (onderzoek, aanvraag, besluit)")),
            ("view_wmoreport_status", _("Kan de fase en termijnen van Wmo-meldingen zien")),
            ("view_wmo_overview", _("Kan het overzicht van alle open Wmo-meldingen zien")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(client_support_offered=True) | Q(client_support_accepted__isnull=True),
                name="wmo_support_accepted_only_if_offered",
                violation_error_message=_(
                    "Cliëntondersteuning kan alleen gewenst zijn als ze is aangeboden."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | (~Q(decision="") & Q(decided_on__isnull=False)),
                name="wmo_decided_has_decision",
                violation_error_message=_("Een besluit heeft een uitkomst en een datum."),
            ),
            models.CheckConstraint(
                condition=~Q(status="application") | Q(application_received_on__isnull=False),
                name="wmo_application_has_date",
                violation_error_message=_("Een aanvraag heeft een ontvangstdatum."),
            ),
            models.CheckConstraint(
                condition=~Q(status="ciz") | Q(ciz_referred_on__isnull=False),
                name="wmo_ciz_has_date",
                violation_error_message=_("Een verwijzing naar het CIZ heeft een datum."),
            ),
        ]
        indexes = [
            # The consultant's work list and the team's: open reports by deadline.
            models.Index(
                fields=["consultant", "due_investigation"],
                name="wmo_open_by_consultant",
                condition=Q(status__in=["reported", "investigation", "application"]),
            ),
            models.Index(
                fields=["desk", "status", "reported_on"],
                name="wmo_desk_phase",
            ),
            models.Index(fields=["resident", "-reported_on"], name="wmo_resident"),
        ]

    def __str__(self) -> str:
        return f"{_('Wmo-melding')} {self.pk} ({self.reported_on:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_suspended(self) -> bool:
        return self.suspended_since is not None

    def current_due_date(self):
        """The statutory deadline that runs now: the investigation's until the application is
        received, then the decision's. None when no statutory deadline runs."""
        if self.status in (self.Status.REPORTED, self.Status.INVESTIGATION):
            return self.due_investigation
        if self.status == self.Status.APPLICATION:
            return self.due_decision
        return None

    def is_overdue(self, today=None) -> bool:
        due = self.current_due_date()
        return due is not None and not self.is_suspended and due < (today or timezone.localdate())


class WmoSupportRequest(models.Model):
    """One kind of support the report asks for, and what was decided on it."""

    class SupportType(models.TextChoices):
        HOUSEHOLD = "household", _("Hulp bij het huishouden")
        AIDS = "aids", _("Hulpmiddelen en woningaanpassingen")
        TRANSPORT = "transport", _("Vervoer")
        DAY_ACTIVITIES = "day_activities", _("Dagbesteding")
        GUIDANCE = "guidance", _("Begeleiding")
        RESPITE = "respite", _("Respijtzorg voor mantelzorgers")
        SHELTERED_HOUSING = "sheltered_housing", _("Beschermd wonen")
        OTHER = "other", _("Anders")

    report = models.ForeignKey(WmoReport, on_delete=models.CASCADE, related_name="support_requests")
    support_type = models.CharField(_("soort ondersteuning"), max_length=20, choices=SupportType.choices)
    description = models.CharField(_("toelichting"), max_length=300, blank=True)
    decision = models.CharField(_("besluit"), max_length=10, choices=WmoReport.Decision.choices, blank=True)
    decision_note = models.CharField(_("wat is toegekend"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("gevraagde ondersteuning")
        verbose_name_plural = _("gevraagde ondersteuning")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "support_type"], name="wmo_support_once_per_report"),
        ]

    def __str__(self) -> str:
        return self.get_support_type_display()


class WmoStatusChange(models.Model):
    """One row per transition, written once: who, when, from what to what, and why."""

    report = models.ForeignKey(WmoReport, on_delete=models.PROTECT, related_name="status_history")
    from_status = models.CharField(_("van"), max_length=16, choices=WmoReport.Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=16, choices=WmoReport.Status.choices)
    note = models.TextField(_("toelichting"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: door het systeem (bijvoorbeeld na een melding uit de BRP)."),
    )
    changed_at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("faseovergang")
        verbose_name_plural = _("faseovergangen")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"


class WmoSuspension(models.Model):
    """A suspension of the running statutory deadline, with its reason. Its length in days moves
    the deadline (see deadlines.py). Written when it starts, closed once when it ends."""

    class Phase(models.TextChoices):
        INVESTIGATION = "investigation", _("Onderzoek")
        DECISION = "decision", _("Besluit")

    class Reason(models.TextChoices):
        INFORMATION = "information", _("Wacht op gegevens van de inwoner")
        RESIDENT_REQUEST = "resident_request", _("Op verzoek van de inwoner")
        MEDICAL_ADVICE = "medical_advice", _("Wacht op medisch advies")
        OTHER = "other", _("Anders")

    report = models.ForeignKey(WmoReport, on_delete=models.PROTECT, related_name="suspensions")
    phase = models.CharField(_("termijn"), max_length=16, choices=Phase.choices)
    reason = models.CharField(_("reden"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("toelichting"), blank=True)
    started_on = models.DateField(_("opgeschort vanaf"))
    ended_on = models.DateField(_("hervat op"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("opschorting")
        verbose_name_plural = _("opschortingen")
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(ended_on__isnull=True), name="wmo_one_running_suspension"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="wmo_suspension_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.started_on} – {self.ended_on or '…'}"

    @property
    def days(self) -> int:
        """Length in calendar days; a running suspension has no length yet."""
        return (self.ended_on - self.started_on).days if self.ended_on else 0


class WmoReminder(models.Model):
    """A reminder sent for one deadline of one report: at most once per due date, so a moved
    deadline gets a reminder of its own."""

    class Kind(models.TextChoices):
        PERSONAL_PLAN = "personal_plan", _("Persoonlijk plan")
        INVESTIGATION = "investigation", _("Onderzoek")
        DECISION = "decision", _("Besluit")
        OVERDUE = "overdue", _("Termijn verstreken")

    report = models.ForeignKey(WmoReport, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    due = models.DateField()
    # Which of the settings' WMO_REMINDER_DAYS this reminder is (0 for the overdue notice), so
    # that "5 and 1 days before" are two reminders, each sent once per due date.
    days_before = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "due", "days_before"], name="wmo_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due}"


class SupportTrajectory(TimeStampedModel):
    """Free independent client support (cliëntondersteuning) requested with a Wmo report."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Aangevraagd")
        RUNNING = "running", pgettext_lazy("client support", "Loopt")
        ENDED = "ended", _("Beëindigd")

    report = models.OneToOneField(WmoReport, on_delete=models.PROTECT, related_name="support_trajectory")
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="support_trajectories",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_on = models.DateField(_("aangevraagd op"), default=timezone.localdate)
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cliëntondersteuner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_trajectories",
    )
    goals = models.TextField(_("doelen"), blank=True)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    end_reason = models.CharField(_("reden van beëindigen"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cliëntondersteuning")
        verbose_name_plural = _("cliëntondersteuning")
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"{_('Cliëntondersteuning')} {self.pk}"


def document_path(instance: "WmoDocument", filename: str) -> str:
    # Never the resident's name or the original file name on disk.
    return f"wmo/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class WmoDocument(models.Model):
    """A document kept with a report: uploaded (checked for type, size and content) or the
    signed report of the conversation. Stored outside the static and public media paths and
    served only through a view that checks access and writes the access log."""

    class Kind(models.TextChoices):
        CONVERSATION_REPORT = "conversation_report", _("Getekend gespreksverslag")
        PERSONAL_PLAN = "personal_plan", _("Persoonlijk plan")
        APPLICATION = "application", _("Aanvraagformulier")
        MEDICAL = "medical", _("Medische informatie")
        DECISION = "decision", _("Beschikking")
        OTHER = "other", _("Anders")

    report = models.ForeignKey(WmoReport, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("soort document"), max_length=24, choices=Kind.choices)
    file = models.FileField(_("bestand"), upload_to=document_path)
    original_name = models.CharField(_("oorspronkelijke naam"), max_length=200)
    content_type = models.CharField(_("bestandstype"), max_length=100)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toegevoegd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
