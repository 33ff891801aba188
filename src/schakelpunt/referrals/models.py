"""Closed-loop referrals: from a question to a partner, followed until the partner reports back."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.access import VisibleQuerySet
from schakelpunt.core.models import TimeStampedModel


class ReferralAgreement(TimeStampedModel):
    """What the desk and a receiving organisation agreed on: working days to accept, to make
    first contact and to complete. Optionally per service category (a term of the social map's
    category taxonomy, matched with its subcategories). Versioned by ``valid_from``; the
    agreement used is written onto each referral when it is made."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="referral_agreements",
    )
    category = models.ForeignKey(
        "directory.TaxonomyTerm",
        verbose_name=_("soort aanbod"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: geldt voor alle verwijzingen naar deze organisatie."),
    )
    days_to_accept = models.PositiveSmallIntegerField(_("werkdagen om te accepteren"), default=2)
    days_to_first_contact = models.PositiveSmallIntegerField(_("werkdagen tot eerste contact"), default=5)
    days_to_complete = models.PositiveSmallIntegerField(_("werkdagen om af te ronden"), default=30)
    valid_from = models.DateField(_("geldig vanaf"), default=timezone.localdate)

    class Meta:
        verbose_name = _("afspraak over doorverwijzingen")
        verbose_name_plural = _("afspraken over doorverwijzingen")
        ordering = ["organisation", "category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category", "valid_from"],
                condition=Q(category__isnull=False),
                name="referral_agreement_unique_per_category",
            ),
            models.UniqueConstraint(
                fields=["organisation", "valid_from"],
                condition=Q(category__isnull=True),
                name="referral_agreement_unique_general",
            ),
            models.CheckConstraint(
                condition=Q(days_to_accept__lte=models.F("days_to_first_contact"))
                & Q(days_to_first_contact__lte=models.F("days_to_complete")),
                name="referral_agreement_days_in_order",
                violation_error_message=_(
                    "De termijnen moeten op volgorde liggen: accepteren, eerste contact, afronden."
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.category.name if self.category_id else _("alles")
        days = f"{self.days_to_accept}/{self.days_to_first_contact}/{self.days_to_complete}"
        return f"{self.organisation} ({scope}) {days}"


class ReferralQuerySet(VisibleQuerySet):
    def visible_to(self, user) -> "ReferralQuerySet":
        """The referring desk sees the referrals its desks made; a partner sees only the
        referrals addressed to their own organisation. Deny by default."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        condition = Q()
        if user.has_perm("referrals.view_referral"):
            condition |= Q(referring_desk__in=user.desks.all())
        if user.has_perm("referrals.work_referral") and user.organisation_id:
            condition |= Q(organisation_id=user.organisation_id)
        if not condition:
            return self.none()
        return self.filter(condition)

    def received_by(self, user) -> "ReferralQuerySet":
        """A partner's inbox: only referrals to their organisation."""
        if (
            not user.is_authenticated
            or not user.has_perm("referrals.work_referral")
            or not user.organisation_id
        ):
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def open(self) -> "ReferralQuerySet":
        return self.filter(status__in=Referral.OPEN_STATUSES)


class Referral(TimeStampedModel):
    class Status(models.TextChoices):
        # The FHIR Task states used for social-care referrals.
        REQUESTED = "requested", _("Verstuurd")
        ACCEPTED = "accepted", _("Geaccepteerd")
        REJECTED = "rejected", _("Afgewezen")
        IN_PROGRESS = "in-progress", _("In behandeling")
        ON_HOLD = "on-hold", _("Gepauzeerd")
        COMPLETED = "completed", _("Afgerond")
        FAILED = "failed", _("Niet gelukt")
        CANCELLED = "cancelled", _("Ingetrokken")

    class Reason(models.TextChoices):
        NO_CAPACITY = "no_capacity", _("Geen plek")
        NOT_ELIGIBLE = "not_eligible", _("Komt niet in aanmerking")
        UNREACHABLE = "unreachable", _("Inwoner niet bereikt")
        DECLINED = "declined", _("Inwoner wil het niet")
        DECEASED = "deceased", _("Inwoner overleden")
        OTHER = "other", _("Anders")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normaal")
        SOON = "soon", _("Binnen een week")
        URGENT = "urgent", _("Spoed")

    OPEN_STATUSES = (Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD)

    question = models.ForeignKey(
        "contacts.Question", verbose_name=_("hulpvraag"), on_delete=models.PROTECT, related_name="referrals"
    )
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    referring_desk = models.ForeignKey(
        "organisations.Desk",
        verbose_name=_("verwijzend loket"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verwezen door"),
        on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("naar organisatie"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    service = models.ForeignKey(
        "directory.Service",
        verbose_name=_("dienst"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    reason = models.TextField(_("reden van verwijzing"))
    resident_wishes = models.TextField(_("wat de inwoner wil"), blank=True)
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    consent = models.ForeignKey(
        "residents.Consent",
        verbose_name=_("toestemming"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    warm_handover = models.BooleanField(
        _("warme overdracht"),
        default=False,
        help_text=_("De inwoner was erbij en droeg zelf over; er is geen schriftelijke toestemming."),
    )
    shared_data = models.JSONField(
        _("gedeelde gegevens"),
        default=list,
        help_text=_("Welke gegevens de organisatie mag zien (binnen de toestemming)."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    status_changed_at = models.DateTimeField(_("status gewijzigd op"), default=timezone.now)
    # The state before "on hold", to return to on resume.
    held_from_status = models.CharField(max_length=16, choices=Status.choices, blank=True, editable=False)
    on_hold_since = models.DateField(_("gepauzeerd sinds"), null=True, blank=True, editable=False)
    close_reason = models.CharField(_("reden"), max_length=16, choices=Reason.choices, blank=True)
    outcome = models.TextField(_("resultaat"), blank=True)
    agreement = models.ForeignKey(
        ReferralAgreement,
        verbose_name=_("afspraak"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    due_accept = models.DateField(_("accepteren uiterlijk"))
    due_first_contact = models.DateField(_("eerste contact uiterlijk"))
    due_complete = models.DateField(_("afronden uiterlijk"))
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("eerste contact op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    overdue_since = models.DateField(_("te laat sinds"), null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("doorverwijzing")
        verbose_name_plural = _("doorverwijzingen")
        ordering = ["-created_at"]
        permissions = [
            ("work_referral", _("Kan verwijzingen aan de eigen organisatie behandelen")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__isnull=False) | Q(warm_handover=True),
                name="referral_consent_or_warm_handover",
                violation_error_message=_(
                    "Zonder toestemming kan alleen worden verwezen met een warme overdracht."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(outcome=""),
                name="referral_completed_has_outcome",
                violation_error_message=_("Een afgeronde verwijzing heeft een resultaat."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "failed"]) | ~Q(close_reason=""),
                name="referral_rejected_or_failed_has_reason",
                violation_error_message=_("Geef een reden bij afwijzen of niet gelukt."),
            ),
        ]
        indexes = [
            # The inbox and the desk's list: newest first, with the id as tie-breaker.
            models.Index(fields=["organisation", "-created_at", "-id"], name="referral_inbox"),
            models.Index(
                fields=["organisation", "status", "-created_at", "-id"], name="referral_inbox_status"
            ),
            models.Index(fields=["referring_desk", "-created_at", "-id"], name="referral_desk"),
            models.Index(
                fields=["due_complete"],
                name="referral_open_due",
                condition=Q(status__in=["requested", "accepted", "in-progress"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Verwijzing')} {self.pk} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def current_due_date(self):
        """The deadline that matters now: accept while requested, complete afterwards."""
        if self.status == self.Status.REQUESTED:
            return self.due_accept
        if self.status in (self.Status.ACCEPTED, self.Status.IN_PROGRESS):
            if self.first_contact_at is None:
                return self.due_first_contact
            return self.due_complete
        return None

    def is_overdue(self, today=None) -> bool:
        due = self.current_due_date()
        return due is not None and due < (today or timezone.localdate())

    def visible_scope(self) -> set[str]:
        """What the receiving organisation may see now. A withdrawn consent hides everything at
        once; a warm hand-over shares what was agreed in person."""
        wanted = set(self.shared_data)
        if self.consent_id:
            consent = self.consent
            if not consent.is_active:
                return set()
            wanted &= set(consent.scope)
            if "bsn" in wanted and not consent.legal_basis:
                wanted.discard("bsn")
            return wanted
        if self.warm_handover:
            wanted.discard("bsn")
            return wanted
        return set()


class ReferralStatus(models.Model):
    """One row per transition, written once: who, when, from what to what, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="status_history")
    from_status = models.CharField(_("van"), max_length=16, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=16, choices=Referral.Status.choices)
    reason = models.CharField(_("reden"), max_length=16, choices=Referral.Reason.choices, blank=True)
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
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"


class UnmetNeed(models.Model):
    """A need the supply did not meet, recorded on the question: a partner rejected the
    referral for capacity or eligibility. Counted in the analyses and signals."""

    question = models.ForeignKey(
        "contacts.Question", verbose_name=_("hulpvraag"), on_delete=models.PROTECT, related_name="unmet_needs"
    )
    referral = models.OneToOneField(
        Referral, verbose_name=_("doorverwijzing"), on_delete=models.PROTECT, related_name="unmet_need"
    )
    reason = models.CharField(_("reden"), max_length=16, choices=Referral.Reason.choices)
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("onvervulde behoefte")
        verbose_name_plural = _("onvervulde behoeften")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.question_id})"


class ApiToken(models.Model):
    """A key for a partner's own system. Only a hash is stored; the key is shown once.

    The token acts as its account: a user of the partner organisation with the partner role,
    so the same visibility rules and the same access log apply as on the web pages.
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("naam"), max_length=100)
    key_prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    last_used_on = models.DateField(_("laatst gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)
