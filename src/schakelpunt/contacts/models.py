"""Contact moments and the questions in them: what was asked, what was needed, what happened."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.access import VisibleQuerySet
from schakelpunt.core.models import TimeStampedModel

MAX_TEXT = 5000  # characters in a free-text field: a long story fits, a pasted file does not


class LifeDomain(models.Model):
    """A life domain (levensdomein) a question touches; a configurable taxonomy."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    is_health_related = models.BooleanField(
        _("gezondheid"),
        default=False,
        help_text=_("Vragen in dit domein kunnen gezondheidsgegevens bevatten."),
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("levensdomein")
        verbose_name_plural = _("levensdomeinen")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ContactQuerySet(VisibleQuerySet):
    def visible_to(self, user) -> "ContactQuerySet":
        if not user.is_authenticated or not user.has_perm("contacts.view_contact"):
            return self.none()
        return self.filter(desk__in=user.desks.all())


class Contact(TimeStampedModel):
    """One contact moment: someone came, called, wrote or was visited."""

    class Channel(models.TextChoices):
        DESK = "desk", _("Balie")
        PHONE = "phone", _("Telefoon")
        EMAIL = "email", _("E-mail")
        HOME_VISIT = "home_visit", _("Huisbezoek")
        ONLINE = "online", _("Online")
        DISTRICT_HOURS = "district_hours", _("Wijkspreekuur")

    class AskedBy(models.TextChoices):
        RESIDENT = "resident", _("De inwoner zelf")
        REPRESENTATIVE = "representative", _("Een vertegenwoordiger of mantelzorger")
        PROFESSIONAL = "professional", _("Een professional")
        ANONYMOUS = "anonymous", _("Anoniem")

    desk = models.ForeignKey(
        "organisations.Desk",
        verbose_name=_("loket"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    location = models.ForeignKey(
        "organisations.Location",
        verbose_name=_("locatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    started_at = models.DateTimeField(_("begin"))
    duration_minutes = models.PositiveIntegerField(
        _("duur (minuten)"), default=0, validators=[MaxValueValidator(24 * 60)]
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandeld door"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    asked_by = models.CharField(
        _("wie vroeg"), max_length=20, choices=AskedBy.choices, default=AskedBy.RESIDENT
    )
    asker_name = models.CharField(
        _("naam vragensteller"),
        max_length=200,
        blank=True,
        help_text=_("Als iemand anders dan de inwoner de vraag stelt."),
    )
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        help_text=_("Leeg bij een anonieme vraag."),
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["resident", "-started_at"], name="contact_resident_time"),
            models.Index(fields=["desk", "-started_at"], name="contact_desk_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.started_at:%d-%m-%Y %H:%M}"


class QuestionQuerySet(VisibleQuerySet):
    def visible_to(self, user) -> "QuestionQuerySet":
        if not user.is_authenticated or not user.has_perm("contacts.view_question"):
            return self.none()
        return self.filter(contact__desk__in=user.desks.all())

    def open(self) -> "QuestionQuerySet":
        return self.exclude(status=Question.Status.CLOSED)


class Question(TimeStampedModel):
    """A question (hulpvraag) as asked, the need behind it, and its outcome."""

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normaal")
        SOON = "soon", _("Binnen een week")
        URGENT = "urgent", _("Spoed")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Wacht op iets of iemand")
        CLOSED = "closed", _("Afgesloten")

    class Outcome(models.TextChoices):
        INFORMATION = "information", _("Informatie gegeven")
        ADVICE = "advice", _("Advies gegeven")
        REFERRED = "referred", _("Doorverwezen")
        WMO_REPORT = "wmo_report", _("Wmo-melding")
        SIGNPOSTED = "signposted", _("Elders naartoe gewezen")
        NO_SUPPLY = "no_supply", _("Geen passend aanbod")
        DECEASED = "deceased", _("Overleden")

    class UnmetReason(models.TextChoices):
        NOT_AVAILABLE = "not_available", _("Aanbod bestaat niet")
        NOT_ELIGIBLE = "not_eligible", _("Komt niet in aanmerking")
        NO_CAPACITY = "no_capacity", _("Geen plek")
        WAITING_LIST = "waiting_list", _("Wachtlijst")
        REFUSED = "refused", _("Inwoner wil het aanbod niet")

    contact = models.ForeignKey(
        Contact, verbose_name=_("contactmoment"), on_delete=models.PROTECT, related_name="questions"
    )
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        help_text=_("Dezelfde inwoner als bij het contactmoment: voor de tijdlijn en de werklijsten."),
    )
    question_text = models.TextField(
        _("de vraag zoals gesteld"), max_length=MAX_TEXT, validators=[MaxLengthValidator(MAX_TEXT)]
    )
    clarification = models.TextField(
        _("de vraag achter de vraag"),
        max_length=MAX_TEXT,
        validators=[MaxLengthValidator(MAX_TEXT)],
        blank=True,
        help_text=_("Vraagverheldering: wat heeft de inwoner echt nodig?"),
    )
    health_notes = models.TextField(
        _("gezondheidsnotities"),
        max_length=MAX_TEXT,
        validators=[MaxLengthValidator(MAX_TEXT)],
        blank=True,
        help_text=_("Alleen zichtbaar voor medewerkers met die bevoegdheid; niet voor vrijwilligers."),
    )
    domains = models.ManyToManyField(
        LifeDomain, verbose_name=_("levensdomeinen"), related_name="questions", blank=True
    )
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True)
    unmet_reason = models.CharField(
        _("reden geen passend aanbod"), max_length=20, choices=UnmetReason.choices, blank=True
    )
    answer = models.TextField(
        _("antwoord of advies"),
        max_length=MAX_TEXT,
        validators=[MaxLengthValidator(MAX_TEXT)],
        blank=True,
    )
    minutes_spent = models.PositiveIntegerField(
        _("bestede tijd (minuten)"), default=0, validators=[MaxValueValidator(24 * 60)]
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandelaar"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")
        ordering = ["-created_at"]
        permissions = [("can_view_health_notes", _("Kan gezondheidsnotities zien"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""),
                name="question_closed_has_outcome",
                violation_error_message=_("Een vraag kan alleen worden afgesloten met een uitkomst."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="no_supply") | Q(unmet_reason=""),
                name="question_unmet_reason_only_for_no_supply",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="no_supply") | ~Q(unmet_reason=""),
                name="question_no_supply_has_reason",
                violation_error_message=_("Geef aan waarom er geen passend aanbod is."),
            ),
        ]
        indexes = [
            models.Index(fields=["resident", "-created_at"], name="question_resident_time"),
            models.Index(
                fields=["assigned_to", "status"],
                name="question_assignee_open",
                condition=~Q(status="closed"),
            ),
        ]

    def __str__(self) -> str:
        return self.question_text[:60]


class QuestionChange(models.Model):
    """History of a question: who changed what, when. Appended, never edited."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="changes")
    changed_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fields = models.JSONField(_("gewijzigde velden"), default=dict)

    class Meta:
        verbose_name = _("wijziging van een hulpvraag")
        verbose_name_plural = _("wijzigingen van hulpvragen")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.changed_at:%d-%m-%Y %H:%M} {', '.join(self.fields)}"


class FollowUp(TimeStampedModel):
    """Call back or check in on a date; shown in the assignee's work list."""

    class Kind(models.TextChoices):
        CALL_BACK = "call_back", _("Terugbellen")
        CHECK_IN = "check_in", _("Nagaan of de hulp is aangekomen")
        OTHER = "other", _("Overig")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        DONE = "done", _("Gedaan")
        CANCELLED = "cancelled", _("Vervallen")

    question = models.ForeignKey(
        Question, verbose_name=_("hulpvraag"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.CALL_BACK)
    due_date = models.DateField(_("datum"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voor"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    note = models.CharField(_("notitie"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    result = models.CharField(_("resultaat"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("opvolging")
        verbose_name_plural = _("opvolgingen")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(
                fields=["assigned_to", "due_date"],
                name="followup_planned",
                condition=Q(status="planned"),
            ),
        ]


class AssessmentInstrument(models.Model):
    """A self-reliance instrument: the ZRM by default, configurable."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    min_score = models.PositiveSmallIntegerField(_("laagste score"), default=1)
    max_score = models.PositiveSmallIntegerField(_("hoogste score"), default=5)

    class Meta:
        verbose_name = _("meetinstrument zelfredzaamheid")
        verbose_name_plural = _("meetinstrumenten zelfredzaamheid")

    def __str__(self) -> str:
        return self.name


class AssessmentDomain(models.Model):
    instrument = models.ForeignKey(AssessmentInstrument, on_delete=models.CASCADE, related_name="domains")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("naam"), max_length=100)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("domein")
        verbose_name_plural = _("domeinen")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="assessment_domain_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """One self-reliance measurement of a resident, kept so progress can be compared."""

    instrument = models.ForeignKey(AssessmentInstrument, on_delete=models.PROTECT, related_name="assessments")
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="assessments")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    assessed_at = models.DateTimeField(_("gemeten op"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("zelfredzaamheidsmeting")
        verbose_name_plural = _("zelfredzaamheidsmetingen")
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"{self.instrument} {self.assessed_at:%d-%m-%Y}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.ForeignKey(AssessmentDomain, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.score}"
