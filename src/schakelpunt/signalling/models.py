"""Signals: a gap or bottleneck in supply or access, shown by the questions and unmet needs
the desk registered, addressed to the municipality or a partner and followed to an outcome.

The evidence is linked, never copied: a signal counts the questions and unmet needs that show
it, and whoever may not see those rows (the policy officer, the partner) sees only the counts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schakelpunt.contacts.models import Question
from schakelpunt.core.access import VisibleQuerySet
from schakelpunt.core.models import TimeStampedModel


class SignalQuerySet(VisibleQuerySet):
    def visible_to(self, user) -> "SignalQuerySet":
        """Two sides, deny by default.

        - The desk (staff who may raise signals, ``signalling.add_signal``): every signal of the
          user's desks, proposals included.
        - The addressee (``signalling.answer_signal``): signals sent to the user's own
          organisation, or to a municipality the user works for
          (:func:`schakelpunt.organisations.selectors.municipalities_of`), once sent: a
          proposal or a dismissed proposal never leaves the desk.
        """
        if not user.is_authenticated or not user.is_active or not user.has_perm("signalling.view_signal"):
            return self.none()
        condition = Q()
        if user.has_perm("signalling.add_signal"):
            condition |= Q(desk__in=user.desks.all())
        if user.has_perm("signalling.answer_signal"):
            from schakelpunt.organisations.selectors import municipalities_of

            addressed = Q(addressed_to__isnull=True, municipality__in=municipalities_of(user))
            if user.organisation_id:
                addressed |= Q(addressed_to_id=user.organisation_id)
            condition |= addressed & ~Q(status__in=Signal.DESK_ONLY_STATUSES)
        if not condition:
            return self.none()
        return self.filter(condition)


class Signal(TimeStampedModel):
    class Kind(models.TextChoices):
        GAP = "gap", _("Hiaat in het aanbod")
        ACCESS = "access", _("Knelpunt in de toegang")
        OTHER = "other", _("Anders")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Door een medewerker")
        AUTOMATIC = "automatic", _("Automatisch voorgesteld")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Voorstel")
        SENT = "sent", _("Verstuurd")
        ACKNOWLEDGED = "acknowledged", _("Erkend")
        ACTION_PLANNED = "action_planned", _("Actie gepland")
        NEW_SUPPLY = "new_supply", _("Nieuw aanbod gerealiseerd")
        DECLINED = "declined", pgettext_lazy("signal outcome", "Afgewezen")
        DISMISSED = "dismissed", _("Niet doorgezet")

    # Never shown to the addressee: the desk's own drafts and what it decided not to send.
    DESK_ONLY_STATUSES = (Status.PROPOSED, Status.DISMISSED)
    CLOSED_STATUSES = (Status.NEW_SUPPLY, Status.DECLINED, Status.DISMISSED)

    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(
        _("omschrijving"),
        max_length=5000,
        help_text=_("Wat ontbreekt of wat houdt inwoners tegen? Geen namen of andere gegevens van inwoners."),
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.GAP)
    life_domain = models.ForeignKey(
        "contacts.LifeDomain",
        verbose_name=_("levensdomein"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
    )
    unmet_reason = models.CharField(
        _("reden geen passend aanbod"),
        max_length=20,
        choices=Question.UnmetReason.choices,
        blank=True,
        help_text=_("Bij automatische voorstellen: de reden die de onvervulde behoeften gemeen hebben."),
    )
    district = models.ForeignKey(
        "organisations.District",
        verbose_name=_("wijk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="signals",
    )
    desk = models.ForeignKey(
        "organisations.Desk",
        verbose_name=_("loket"),
        on_delete=models.PROTECT,
        related_name="signals",
        help_text=_("Het loket waar het signaal is opgemerkt."),
    )
    period_start = models.DateField(_("bewijs vanaf"))
    period_end = models.DateField(_("bewijs tot en met"))
    addressed_to = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("gericht aan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals_received",
        help_text=_("Leeg: de gemeente. Anders een deelnemende organisatie."),
    )
    origin = models.CharField(_("herkomst"), max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    status_changed_at = models.DateTimeField(_("status gewijzigd op"), default=timezone.now)
    answer = models.TextField(
        _("antwoord"), blank=True, help_text=_("Het laatste antwoord van de geadresseerde.")
    )
    decline_reason = models.TextField(_("reden van afwijzen"), blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals_created",
        help_text=_("Leeg: automatisch voorgesteld."),
    )
    questions = models.ManyToManyField(
        "contacts.Question",
        verbose_name=_("hulpvragen"),
        through="SignalQuestion",
        related_name="signals",
        blank=True,
    )
    unmet_needs = models.ManyToManyField(
        "referrals.UnmetNeed",
        verbose_name=_("onvervulde behoeften"),
        through="SignalUnmetNeed",
        related_name="signals",
        blank=True,
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("answer_signal", _("Kan signalen aan de eigen gemeente of organisatie beantwoorden")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="signal_period_in_order",
                violation_error_message=_("Het einde van de periode ligt vóór het begin."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="signal_declined_has_reason",
                violation_error_message=_("Een afgewezen signaal heeft een reden."),
            ),
            models.CheckConstraint(
                condition=Q(origin="automatic") | Q(created_by__isnull=False),
                name="signal_manual_has_creator",
            ),
        ]
        indexes = [
            # The desk's list: newest first, with the id as tie-breaker.
            models.Index(fields=["desk", "-created_at", "-id"], name="signal_desk"),
            # The addressees' lists: the municipality's and the partner's.
            models.Index(fields=["municipality", "status"], name="signal_municipality"),
            models.Index(fields=["addressed_to", "status"], name="signal_addressee"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def addressee_name(self) -> str:
        if self.addressed_to_id:
            return self.addressed_to.name
        return _("Gemeente %(name)s") % {"name": self.municipality.name}


class SignalQuestion(models.Model):
    """A question that shows the signal: linked, with who linked it and when (None: the
    automatic proposal). Never copied: the question stays where it is, under its own rules."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="question_links")
    question = models.ForeignKey(
        "contacts.Question",
        verbose_name=_("hulpvraag"),
        on_delete=models.PROTECT,
        related_name="signal_links",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gekoppeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("gekoppeld op"), default=timezone.now)

    class Meta:
        verbose_name = _("hulpvraag bij een signaal")
        verbose_name_plural = _("hulpvragen bij signalen")
        constraints = [
            models.UniqueConstraint(fields=["signal", "question"], name="signal_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} ← {_('vraag')} {self.question_id}"


class SignalUnmetNeed(models.Model):
    """An unmet need (a referral a partner rejected for capacity or eligibility) that shows
    the signal, linked like :class:`SignalQuestion`."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="unmet_need_links")
    unmet_need = models.ForeignKey(
        "referrals.UnmetNeed",
        verbose_name=_("onvervulde behoefte"),
        on_delete=models.PROTECT,
        related_name="signal_links",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gekoppeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("gekoppeld op"), default=timezone.now)

    class Meta:
        verbose_name = _("onvervulde behoefte bij een signaal")
        verbose_name_plural = _("onvervulde behoeften bij signalen")
        constraints = [
            models.UniqueConstraint(fields=["signal", "unmet_need"], name="signal_unmet_need_once"),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} ← {_('onvervulde behoefte')} {self.unmet_need_id}"


class SignalStatus(models.Model):
    """One row per transition, written once: who, when, from what to what, and the note."""

    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="status_history")
    from_status = models.CharField(_("van"), max_length=16, choices=Signal.Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=16, choices=Signal.Status.choices)
    note = models.TextField(_("toelichting"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: door het systeem (een automatisch voorstel)."),
    )
    changed_at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("statuswijziging van een signaal")
        verbose_name_plural = _("statuswijzigingen van signalen")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"
