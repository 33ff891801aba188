"""Residents, the people acting for them, and what they agreed may be shared."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.access import VisibleQuerySet
from schakelpunt.core.models import TimeStampedModel
from schakelpunt.residents.validators import validate_birth_date, validate_bsn, validate_postcode


class ResidentQuerySet(VisibleQuerySet):
    def visible_to(self, user) -> "ResidentQuerySet":
        """Residents of the municipalities a user's desks serve, or registered at those desks."""
        if not user.is_authenticated or not user.has_perm("residents.view_resident"):
            return self.none()
        desks = user.desks.all()
        return self.filter(Q(municipality__desks__in=desks) | Q(registered_desk__in=desks)).distinct()


class Resident(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Actief")
        MOVED_AWAY = "moved_away", _("Verhuisd uit de regio")
        DECEASED = "deceased", _("Overleden")
        UNKNOWN = "unknown", _("Onbekend")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Telefoon")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Brief")
        DESK = "desk", _("Aan de balie")

    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        blank=True,
        default="",
        validators=[validate_bsn],
        help_text=_("Burgerservicenummer; niet verplicht."),
    )
    given_names = models.CharField(_("voornamen"), max_length=200, blank=True)
    surname_prefix = models.CharField(
        _("voorvoegsel"), max_length=20, blank=True, help_text=_("Bijvoorbeeld: van der")
    )
    surname = models.CharField(_("achternaam"), max_length=200)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True, validators=[validate_birth_date])
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.PositiveIntegerField(_("huisnummer"), null=True, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validate_postcode])
    town = models.CharField(_("woonplaats"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    district = models.ForeignKey(
        "organisations.District",
        verbose_name=_("wijk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    preferred_channel = models.CharField(
        _("voorkeur voor contact"), max_length=16, choices=Channel.choices, blank=True
    )
    is_secret = models.BooleanField(
        _("geheimhouding"),
        default=False,
        help_text=_("Geheimhouding van persoonsgegevens: adres alleen voor wie dat mag zien."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_date = models.DateField(_("status sinds"), null=True, blank=True)
    registered_desk = models.ForeignKey(
        "organisations.Desk",
        verbose_name=_("ingeschreven bij loket"),
        on_delete=models.PROTECT,
        related_name="registered_residents",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        permissions = [
            ("can_view_bsn", _("Kan het BSN zien")),
            ("can_view_secret_address", _("Kan het adres van inwoners met geheimhouding zien")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["bsn"],
                condition=Q(status="active") & ~Q(bsn=""),
                name="resident_bsn_unique_among_active",
                violation_error_message=_("Er is al een actieve inwoner met dit BSN."),
            ),
        ]
        indexes = [
            models.Index(Lower("surname"), "birth_date", name="resident_surname_birth"),
            models.Index(fields=["postcode", "house_number"], name="resident_address"),
            models.Index(fields=["birth_date"], name="resident_birth_date"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        parts = [self.given_names, self.surname_prefix, self.surname]
        return " ".join(part for part in parts if part)

    @property
    def address(self) -> str:
        if not self.street:
            return ""
        number = f"{self.house_number or ''}{self.house_number_addition}"
        return f"{self.street} {number}, {self.postcode} {self.town}".strip(", ")

    @property
    def may_be_contacted(self) -> bool:
        """False once the register reports the resident deceased: no mail, letters or calls.

        Every piece of code that sends something to a resident checks this first.
        """
        return self.status != self.Status.DECEASED


class FormerIdentifier(models.Model):
    """A BSN the resident had before the register gave them another one. Appended, never edited."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("inwoner"), on_delete=models.PROTECT, related_name="former_identifiers"
    )
    bsn = models.CharField(_("vorig BSN"), max_length=9, validators=[validate_bsn])
    replaced_on = models.DateField(_("vervangen op"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    source = models.CharField(_("bron"), max_length=20, default="brp")

    class Meta:
        verbose_name = _("vorig BSN")
        verbose_name_plural = _("vorige BSN's")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["bsn"], name="former_identifier_bsn")]

    def __str__(self) -> str:
        return f"{self.resident_id}: {self.replaced_on or ''}"


class AddressHistory(models.Model):
    """An address the resident lived at before, with until when. Appended, never edited."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("inwoner"), on_delete=models.PROTECT, related_name="address_history"
    )
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.PositiveIntegerField(_("huisnummer"), null=True, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    town = models.CharField(_("woonplaats"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    district = models.ForeignKey(
        "organisations.District",
        verbose_name=_("wijk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    valid_until = models.DateField(_("tot"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    source = models.CharField(_("bron"), max_length=20, default="brp")

    class Meta:
        verbose_name = _("vorig adres")
        verbose_name_plural = _("vorige adressen")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number or ''}, {self.postcode} {self.town}".strip(", ")


class Representation(TimeStampedModel):
    """Someone acting for a resident: another resident, or a named person."""

    class Kind(models.TextChoices):
        INFORMAL_CARER = "informal_carer", _("Mantelzorger")
        LEGAL = "legal", _("Wettelijk vertegenwoordiger")
        FAMILY = "family", _("Familie")
        PROFESSIONAL = "professional", _("Professional")

    resident = models.ForeignKey(
        Resident,
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="representations",
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    representative = models.ForeignKey(
        Resident,
        verbose_name=_("vertegenwoordiger (inwoner)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represents",
    )
    name = models.CharField(_("naam vertegenwoordiger"), max_length=200, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    valid_from = models.DateField(_("vanaf"), null=True, blank=True)
    valid_until = models.DateField(_("tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("vertegenwoordiging")
        verbose_name_plural = _("vertegenwoordigingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(representative__isnull=False) | ~Q(name=""),
                name="representation_has_someone",
                violation_error_message=_("Kies een inwoner of vul de naam van de vertegenwoordiger in."),
            ),
            models.CheckConstraint(
                condition=Q(representative__isnull=True) | ~Q(representative=models.F("resident")),
                name="representation_not_self",
                violation_error_message=_("Een inwoner kan niet zijn eigen vertegenwoordiger zijn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.representative or self.name}"


class Consent(TimeStampedModel):
    """What a resident agreed may be shared, with whom and for what. Withdrawal is recorded, not deleted."""

    class Scope(models.TextChoices):
        CONTACT_DETAILS = "contact_details", _("Contactgegevens")
        QUESTION = "question", _("De hulpvraag")
        CLARIFICATION = "clarification", _("De vraagverheldering")
        SELF_RELIANCE = "self_reliance", _("Zelfredzaamheidsscores")
        BSN = "bsn", _("BSN (alleen met wettelijke grondslag)")

    resident = models.ForeignKey(
        Resident, verbose_name=_("inwoner"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("doel"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        help_text=_("Leeg: geldt voor het loket zelf."),
    )
    scope = models.JSONField(_("welke gegevens"), default=list)
    legal_basis = models.CharField(_("wettelijke grondslag"), max_length=200, blank=True)
    given_at = models.DateTimeField(_("gegeven op"))
    given_by = models.CharField(
        _("gegeven door"),
        max_length=200,
        blank=True,
        help_text=_("Leeg: door de inwoner zelf; anders de naam van de vertegenwoordiger."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intrekking vastgelegd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.resident})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
