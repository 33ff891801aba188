"""The social map (sociale kaart) in the shapes of Open Referral HSDS 3.1.

Each model is one HSDS object and keeps its HSDS id (a UUID) as primary key, so that an
import is an upsert by id and an export gives the same ids back. Field names follow HSDS;
what the desk adds on top (capacity status, the link to a participating organisation, the
municipality or district a service area covers, the facet of a taxonomy) is named as ours.

The schemas: ``reference/hsds/schema/*.json``; the mapping to and from HSDS documents lives in
``directory/hsds/``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schakelpunt.core.models import TimeStampedModel


class HsdsModel(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


# --- Taxonomies ---------------------------------------------------------------------------------


class Taxonomy(HsdsModel):
    """A vocabulary of terms. The desk uses two facets: what a service offers, and for whom."""

    class Facet(models.TextChoices):
        CATEGORY = "category", _("Soort aanbod")
        TARGET_GROUP = "target_group", _("Doelgroep")
        OTHER = "other", _("Overig")

    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"))
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    version = models.CharField(_("versie"), max_length=50, blank=True)
    facet = models.CharField(_("facet"), max_length=16, choices=Facet.choices, default=Facet.OTHER)

    class Meta:
        verbose_name = _("taxonomie")
        verbose_name_plural = _("taxonomieën")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(HsdsModel):
    """A term with a hierarchical code (``WON``, ``WON-AAN``, ``WON-AAN-URG``)."""

    taxonomy_detail = models.ForeignKey(
        Taxonomy,
        verbose_name=_("taxonomie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terms",
    )
    # HSDS also allows naming a taxonomy without a taxonomy object ("taxonomy": "HSIS").
    taxonomy = models.CharField(_("naam taxonomie"), max_length=200, blank=True)
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("bovenliggende term"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    language = models.CharField(_("taal"), max_length=20, blank=True)
    term_uri = models.URLField(_("URI van de term"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("taxonomieterm")
        verbose_name_plural = _("taxonomietermen")
        ordering = ["code", "name"]
        indexes = [models.Index(fields=["code"], name="directory_term_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def facet(self) -> str:
        return self.taxonomy_detail.facet if self.taxonomy_detail_id else Taxonomy.Facet.OTHER


# --- Organisations and locations ----------------------------------------------------------------


class Organization(HsdsModel):
    name = models.CharField(_("naam"), max_length=200)
    alternate_name = models.CharField(_("andere naam"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"))
    email = models.EmailField(_("e-mailadres"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    tax_status = models.CharField(_("fiscale status"), max_length=100, blank=True)
    tax_id = models.CharField(_("fiscaal nummer"), max_length=100, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(_("opgericht in"), null=True, blank=True)
    legal_status = models.CharField(_("rechtsvorm"), max_length=100, blank=True)
    logo = models.URLField(_("logo"), max_length=500, blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    parent_organization = models.ForeignKey(
        "self",
        verbose_name=_("moederorganisatie"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="child_organizations",
    )
    participant = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("deelnemende organisatie"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_organization",
        help_text=_(
            "De deelnemer van het loket die dezelfde organisatie is. Medewerkers van die "
            "deelnemer beheren de diensten van deze organisatie."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(HsdsModel):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("Bezoekadres")
        POSTAL = "postal", _("Postadres")
        VIRTUAL = "virtual", _("Online")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("aanbieder"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="locations",
    )
    location_type = models.CharField(_("soort locatie"), max_length=10, choices=LocationType.choices)
    url = models.URLField(_("website"), max_length=500, blank=True)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    alternate_name = models.CharField(_("andere naam"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    transportation = models.TextField(_("bereikbaarheid"), blank=True)
    latitude = models.DecimalField(_("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    external_identifier = models.CharField(_("externe identificatie"), max_length=200, blank=True)
    external_identifier_type = models.CharField(_("soort externe identificatie"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_locations",
    )
    district = models.ForeignKey(
        "organisations.District",
        verbose_name=_("wijk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_locations",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(HsdsModel):
    class AddressType(models.TextChoices):
        PHYSICAL = "physical", _("Bezoekadres")
        POSTAL = "postal", _("Postadres")
        VIRTUAL = "virtual", _("Online")

    location = models.ForeignKey(
        Location, verbose_name=_("locatie"), on_delete=models.CASCADE, related_name="addresses"
    )
    attention = models.CharField(_("ter attentie van"), max_length=200, blank=True)
    address_1 = models.CharField(_("straat en huisnummer"), max_length=200)
    address_2 = models.CharField(_("adresregel 2"), max_length=200, blank=True)
    city = models.CharField(_("plaats"), max_length=100)
    region = models.CharField(_("regio"), max_length=100, blank=True)
    state_province = models.CharField(_("provincie"), max_length=100)
    postal_code = models.CharField(_("postcode"), max_length=20)
    country = models.CharField(_("land"), max_length=2, default="NL")
    address_type = models.CharField(_("soort adres"), max_length=10, choices=AddressType.choices)

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")
        ordering = ["address_type", "address_1"]

    def __str__(self) -> str:
        return f"{self.address_1}, {self.postal_code} {self.city}"


class Accessibility(HsdsModel):
    location = models.ForeignKey(
        Location, verbose_name=_("locatie"), on_delete=models.CASCADE, related_name="accessibility"
    )
    description = models.TextField(_("omschrijving"), blank=True)
    details = models.TextField(_("details"), blank=True)
    url = models.URLField(_("website"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("toegankelijkheid")
        verbose_name_plural = _("toegankelijkheid")
        ordering = ["description"]

    def __str__(self) -> str:
        return self.description[:80]


# --- Services -----------------------------------------------------------------------------------


class ServiceQuerySet(models.QuerySet):
    def public(self):
        """What the public guide and the open HSDS API show: everything not defunct."""
        return self.exclude(status=Service.Status.DEFUNCT)

    def editable_by(self, user):
        """The services a user may change: all for the directory's managers, otherwise only
        those of the directory organisation linked to the user's own participating
        organisation. Deny by default."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("directory.change_any_service"):
            return self.all()
        if user.has_perm("directory.change_service") and user.organisation_id:
            return self.filter(organization__participant_id=user.organisation_id)
        return self.none()

    def stale(self, *, today=None):
        """Services whose details were not confirmed within ``DIRECTORY_STALE_AFTER_DAYS``."""
        today = today or timezone.localdate()
        limit = today - timezone.timedelta(days=settings.DIRECTORY_STALE_AFTER_DAYS)
        return self.exclude(status=Service.Status.DEFUNCT).filter(
            Q(assured_date__isnull=True) | Q(assured_date__lt=limit)
        )


class Service(HsdsModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Actief")
        INACTIVE = "inactive", _("Niet actief")
        DEFUNCT = "defunct", _("Opgeheven")
        TEMPORARILY_CLOSED = "temporarily closed", _("Tijdelijk gesloten")

    class Capacity(models.TextChoices):
        UNKNOWN = "unknown", _("Onbekend")
        AVAILABLE = "available", _("Plaats beschikbaar")
        WAITING_LIST = "waiting_list", _("Wachtlijst")
        FULL = "full", _("Vol")

    class WaitBand(models.TextChoices):
        NONE = "", _("—")
        UNDER_2_WEEKS = "lt2w", _("korter dan 2 weken")
        WEEKS_2_6 = "2-6w", _("2 tot 6 weken")
        WEEKS_6_12 = "6-12w", _("6 tot 12 weken")
        OVER_12_WEEKS = "gt12w", _("langer dan 12 weken")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("aanbieder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
    )
    name = models.CharField(_("naam"), max_length=200)
    alternate_name = models.CharField(_("andere naam"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    url = models.URLField(_("website"), max_length=500, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    interpretation_services = models.TextField(_("tolken"), blank=True)
    application_process = models.TextField(_("aanmelden"), blank=True)
    fees_description = models.TextField(_("kosten"), blank=True)
    wait_time = models.CharField(_("wachttijd (tekst)"), max_length=200, blank=True)
    fees = models.TextField(_("tarieven"), blank=True)
    accreditations = models.TextField(_("keurmerken"), blank=True)
    eligibility_description = models.TextField(_("voor wie"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimumleeftijd"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximumleeftijd"), null=True, blank=True)
    assured_date = models.DateField(
        _("gecontroleerd op"),
        null=True,
        blank=True,
        help_text=_("De datum waarop de aanbieder de gegevens voor het laatst heeft bevestigd."),
    )
    assurer_email = models.EmailField(_("gecontroleerd door (e-mail)"), blank=True)
    licenses = models.TextField(_("vergunningen"), blank=True)
    alert = models.TextField(_("melding"), blank=True)
    last_modified = models.DateTimeField(_("laatst gewijzigd (HSDS)"), null=True, blank=True)
    is_free = models.BooleanField(
        _("gratis"),
        default=False,
        help_text=_("Inwoners betalen niets voor deze dienst (ook geen eigen bijdrage)."),
    )
    capacity = models.CharField(
        _("capaciteit"), max_length=16, choices=Capacity.choices, default=Capacity.UNKNOWN
    )
    capacity_wait_band = models.CharField(
        _("verwachte wachttijd"), max_length=8, choices=WaitBand.choices, blank=True, default=""
    )
    capacity_confirmed_on = models.DateField(_("capaciteit bevestigd op"), null=True, blank=True)
    terms = models.ManyToManyField(
        TaxonomyTerm,
        verbose_name=_("termen"),
        through="ServiceTerm",
        related_name="services",
        blank=True,
    )
    # Name, alternate name, description, organisation and term names in one text, kept by
    # directory.services so that search needs no joins (PostgreSQL indexes it for text
    # search in Dutch and for trigram matching).
    search_text = models.TextField(editable=False, blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ServiceQuerySet.as_manager()
    # The change reason says what changed beside the row itself (terms, areas, opening hours).
    history = HistoricalRecords(
        excluded_fields=["search_text"], history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        verbose_name = _("dienst")
        verbose_name_plural = _("diensten")
        ordering = ["name"]
        permissions = [
            ("change_any_service", _("Kan alle diensten van de sociale kaart wijzigen")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="directory_service_age_range",
                violation_error_message=_("De minimumleeftijd is hoger dan de maximumleeftijd."),
            ),
            models.CheckConstraint(
                condition=Q(capacity="waiting_list") | Q(capacity_wait_band=""),
                name="directory_service_wait_band_only_for_waiting_list",
                violation_error_message=_("Een verwachte wachttijd hoort alleen bij een wachtlijst."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "name"], name="directory_service_org"),
            models.Index(fields=["assured_date"], name="directory_service_assured"),
            models.Index(fields=["updated_at"], name="directory_service_updated"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceTerm(HsdsModel):
    """An HSDS attribute linking a term to a service (``link_entity = "service"``)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_terms")
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="service_terms")
    link_type = models.CharField(max_length=100, blank=True)
    value = models.CharField(max_length=500, blank=True)
    label = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("term van een dienst")
        verbose_name_plural = _("termen van diensten")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "taxonomy_term"], name="directory_service_term_unique"
            ),
        ]
        indexes = [models.Index(fields=["taxonomy_term", "service"], name="directory_term_service")]

    def __str__(self) -> str:
        return f"{self.service} – {self.taxonomy_term}"


class ServiceAtLocation(HsdsModel):
    service = models.ForeignKey(
        Service, verbose_name=_("dienst"), on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("locatie"), on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(_("omschrijving"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dienst op locatie")
        verbose_name_plural = _("diensten op locaties")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="directory_service_at_location_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class ServiceArea(HsdsModel):
    """Where a service is offered: a municipality or district of the region, or a named area."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("dienst"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_areas",
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        verbose_name=_("dienst op locatie"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_areas",
    )
    name = models.CharField(_("naam"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    extent = models.TextField(_("omvang"), blank=True)
    extent_type = models.CharField(_("soort omvang"), max_length=20, blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_service_areas",
    )
    district = models.ForeignKey(
        "organisations.District",
        verbose_name=_("wijk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_service_areas",
    )

    class Meta:
        verbose_name = _("werkgebied")
        verbose_name_plural = _("werkgebieden")
        indexes = [
            models.Index(fields=["municipality", "service"], name="directory_area_municipality"),
            models.Index(fields=["district", "service"], name="directory_area_district"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.municipality or self.district or self.id)


class Language(HsdsModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    phone = models.ForeignKey(
        "Phone", on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    name = models.CharField(_("taal"), max_length=100, blank=True)
    code = models.CharField(_("taalcode"), max_length=20, blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("taal")
        verbose_name_plural = _("talen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.code


class CostOption(HsdsModel):
    service = models.ForeignKey(
        Service, verbose_name=_("dienst"), on_delete=models.CASCADE, related_name="cost_options"
    )
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)
    option = models.CharField(_("tariefsoort"), max_length=200, blank=True)
    currency = models.CharField(_("valuta"), max_length=3, blank=True)
    amount = models.DecimalField(_("bedrag"), max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(_("toelichting bedrag"), blank=True)

    class Meta:
        verbose_name = _("tarief")
        verbose_name_plural = _("tarieven")

    def __str__(self) -> str:
        return self.option or str(self.amount or "")


class Contact(HsdsModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(_("naam"), max_length=200, blank=True)
    title = models.CharField(_("functie"), max_length=200, blank=True)
    department = models.CharField(_("afdeling"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.email or str(self.id)


class Phone(HsdsModel):
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(_("telefoonnummer"), max_length=50)
    extension = models.PositiveIntegerField(_("toestel"), null=True, blank=True)
    type = models.CharField(_("soort"), max_length=20, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("telefoonnummer")
        verbose_name_plural = _("telefoonnummers")

    def __str__(self) -> str:
        return self.number


class Schedule(HsdsModel):
    """Opening hours in the HSDS form: an iCalendar recurrence (``freq``, ``byday``) with a time
    window (``opens_at``–``closes_at``), for a service, a location or a service at a location."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", _("wekelijks")
        MONTHLY = "MONTHLY", _("maandelijks")

    class Attending(models.TextChoices):
        PHONE = "phone", _("telefonisch")
        ONLINE = "online", _("online")
        IN_PERSON = "in_person", _("op locatie")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)
    dtstart = models.DateField(_("eerste keer"), null=True, blank=True)
    timezone = models.SmallIntegerField(_("tijdzone (UTC-verschil)"), null=True, blank=True)
    until = models.DateField(_("tot en met"), null=True, blank=True)
    count = models.PositiveIntegerField(_("aantal keer"), null=True, blank=True)
    wkst = models.CharField(_("eerste dag van de week"), max_length=2, blank=True)
    freq = models.CharField(_("herhaling"), max_length=10, choices=Freq.choices, blank=True)
    interval = models.PositiveSmallIntegerField(_("interval"), null=True, blank=True)
    byday = models.CharField(_("dagen"), max_length=100, blank=True, help_text=_("Bijvoorbeeld MO,TU,WE."))
    byweekno = models.CharField(_("weeknummers"), max_length=200, blank=True)
    bymonthday = models.CharField(_("dagen van de maand"), max_length=200, blank=True)
    byyearday = models.CharField(_("dagen van het jaar"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    opens_at = models.TimeField(_("open vanaf"), null=True, blank=True)
    closes_at = models.TimeField(_("open tot"), null=True, blank=True)
    schedule_link = models.URLField(_("link naar rooster"), max_length=500, blank=True)
    attending_type = models.CharField(_("hoe"), max_length=100, blank=True)
    notes = models.TextField(_("opmerkingen"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("openingstijd")
        verbose_name_plural = _("openingstijden")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(opens_at__lt=models.F("closes_at")),
                name="directory_schedule_opens_before_closes",
                violation_error_message=_("Een openingstijd moet vóór de sluitingstijd liggen."),
            ),
        ]

    def __str__(self) -> str:
        window = ""
        if self.opens_at and self.closes_at:
            window = f" {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"
        return f"{self.byday or self.description}{window}".strip()


# --- Advice given at the desk -------------------------------------------------------------------


class ServiceAdvice(models.Model):
    """A service the desk advised in answer to a question (from intake or the question page)."""

    question = models.ForeignKey(
        "contacts.Question", verbose_name=_("vraag"), on_delete=models.CASCADE, related_name="advice"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("dienst"), on_delete=models.PROTECT, related_name="advice"
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    advised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geadviseerd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    advised_at = models.DateTimeField(_("geadviseerd op"), default=timezone.now)

    class Meta:
        verbose_name = _("geadviseerde dienst")
        verbose_name_plural = _("geadviseerde diensten")
        ordering = ["advised_at"]
        constraints = [
            models.UniqueConstraint(fields=["question", "service"], name="directory_advice_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.question_id})"


class StaleReminder(models.Model):
    """When a directory organisation was last reminded of its services to be checked, so that
    ``directory_remind_stale`` mails it at most once per ``DIRECTORY_REMINDER_INTERVAL_DAYS``."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("aanbieder"), on_delete=models.CASCADE, related_name="stale_reminder"
    )
    sent_at = models.DateTimeField(_("laatst herinnerd op"))
    services_count = models.PositiveIntegerField(_("aantal te controleren diensten"), default=0)
    recipients = models.TextField(_("ontvangers"), blank=True)

    class Meta:
        verbose_name = _("herinnering te controleren diensten")
        verbose_name_plural = _("herinneringen te controleren diensten")

    def __str__(self) -> str:
        return f"{self.organization} ({self.sent_at:%Y-%m-%d})"
