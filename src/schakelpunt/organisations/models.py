"""Participants of the desk, the desks themselves, their locations and opening hours."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.models import TimeStampedModel

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3} ?[A-Z]{2}$",
    _("Vul een postcode in als 1234 AB."),
)


class Region(models.Model):
    """A regional collaboration of municipalities (e.g. the 14 Twente municipalities)."""

    name = models.CharField(_("naam"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)


class Municipality(models.Model):
    code = models.CharField(
        _("CBS-code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("Een gemeentecode is GM gevolgd door vier cijfers."))],
        help_text=_("De gemeentecode van het CBS, bijvoorbeeld GM0153."),
    )
    name = models.CharField(_("naam"), max_length=100)
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A district (wijk) of a municipality, as the CBS codes it (WK015301)."""

    code = models.CharField(
        _("CBS-wijkcode"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^WK\d{6}$", _("Een wijkcode is WK gevolgd door zes cijfers."))],
    )
    name = models.CharField(_("naam"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="districts"
    )

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["municipality__name", "name"]

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """Which district a postcode lies in: a six-character postcode, or its four digits.

    The table is configured per installation (admin or import); lookup tries the full
    postcode first and then the four digits.
    """

    postcode = models.CharField(
        _("postcode of postcodegebied"),
        max_length=6,
        unique=True,
        validators=[
            RegexValidator(
                r"^[1-9]\d{3}([A-Z]{2})?$",
                _("Vul vier cijfers in, of vier cijfers en twee letters."),
            )
        ],
        help_text=_("1234 voor het hele gebied, of 1234AB voor één postcode (zonder spatie)."),
    )
    district = models.ForeignKey(
        District, verbose_name=_("wijk"), on_delete=models.CASCADE, related_name="postcode_areas"
    )

    class Meta:
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")
        ordering = ["postcode"]

    def __str__(self) -> str:
        return f"{self.postcode} → {self.district}"


class Organisation(TimeStampedModel):
    class Type(models.TextChoices):
        MUNICIPALITY = "municipality", _("Gemeente")
        HOUSING_CORPORATION = "housing_corporation", _("Woningcorporatie")
        CARE_PROVIDER = "care_provider", _("Zorgaanbieder")
        WELFARE = "welfare", _("Welzijnsorganisatie")
        CARE_OFFICE = "care_office", _("Zorgkantoor")
        CLIENT_ORGANISATION = "client_organisation", _("Cliëntenorganisatie")
        PROVINCE = "province", _("Provincie")
        CIZ = "ciz", _("CIZ")
        OTHER = "other", _("Overig")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    type = models.CharField(_("soort"), max_length=32, choices=Type.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Alleen voor gemeenten: welke gemeente deze organisatie is."),
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) | Q(type="municipality"),
                name="organisation_municipality_only_for_municipalities",
                violation_error_message=_("Alleen een gemeente hoort bij een gemeente."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Desk(TimeStampedModel):
    """A lokaal loket: one front door, serving one or more municipalities."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    slug = models.SlugField(_("korte naam in de URL"), max_length=80, unique=True)
    description = models.TextField(_("omschrijving"), blank=True, max_length=2000)
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("gemeenten"),
        related_name="desks",
        help_text=_("De gemeenten waarvan de inwoners bij dit loket terecht kunnen."),
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("loket")
        verbose_name_plural = _("loketten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Participation(TimeStampedModel):
    """How an organisation takes part in a desk, and on what terms."""

    class CollaborationModel(models.TextChoices):
        VERBAL = "verbal", _("Mondelinge afspraak")
        LETTER_OF_INTENT = "letter_of_intent", _("Intentieverklaring")
        AGREEMENT = "agreement", _("Convenant")
        CONTRACT = "contract", _("Contract")
        LEGAL_ENTITY = "legal_entity", _("Rechtspersoon")

    desk = models.ForeignKey(
        Desk, verbose_name=_("loket"), on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    is_front_office = models.BooleanField(_("frontoffice"), default=False)
    is_back_office = models.BooleanField(_("backoffice"), default=False)
    is_financier = models.BooleanField(_("financier"), default=False)
    is_initiator = models.BooleanField(_("initiatiefnemer"), default=False)
    collaboration_model = models.CharField(
        _("samenwerkingsvorm"), max_length=32, choices=CollaborationModel.choices
    )
    agreement_start = models.DateField(_("afspraak geldig vanaf"), null=True, blank=True)
    agreement_end = models.DateField(_("afspraak geldig tot en met"), null=True, blank=True)
    yearly_contribution = models.DecimalField(
        _("jaarlijkse bijdrage (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        ordering = ["desk__name", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "organisation"],
                name="participation_unique_per_desk",
                violation_error_message=_("Deze organisatie neemt al deel aan dit loket."),
            ),
            models.CheckConstraint(
                condition=Q(is_front_office=True)
                | Q(is_back_office=True)
                | Q(is_financier=True)
                | Q(is_initiator=True),
                name="participation_has_a_role",
                violation_error_message=_("Kies ten minste één rol in het loket."),
            ),
            models.CheckConstraint(
                condition=Q(agreement_end__isnull=True)
                | Q(agreement_start__isnull=True)
                | Q(agreement_end__gte=models.F("agreement_start")),
                name="participation_agreement_dates_in_order",
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
            models.CheckConstraint(
                condition=Q(yearly_contribution__gte=0),
                name="participation_contribution_not_negative",
                violation_error_message=_("De jaarlijkse bijdrage kan niet negatief zijn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.desk}"

    @property
    def roles(self) -> list[str]:
        flags = [
            (self.is_front_office, _("frontoffice")),
            (self.is_back_office, _("backoffice")),
            (self.is_financier, _("financier")),
            (self.is_initiator, _("initiatiefnemer")),
        ]
        return [str(label) for flag, label in flags if flag]


class Location(TimeStampedModel):
    desk = models.ForeignKey(
        Desk, verbose_name=_("loket"), on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("naam"), max_length=200)
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.PositiveIntegerField(_("huisnummer"), validators=[MinValueValidator(1)])
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[postcode_validator])
    town = models.CharField(_("plaats"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="locations"
    )
    accessibility = models.CharField(
        _("toegankelijkheid"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: rolstoeltoegankelijk, invalidenparkeerplaats, ringleiding."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["desk__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "name"], name="location_unique_name_per_desk"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.town})"

    @property
    def address(self) -> str:
        number = f"{self.house_number}{self.house_number_addition}"
        return f"{self.street} {number}, {self.postcode} {self.town}"


class OpeningHours(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("Openingstijden")
        DISTRICT = "district", _("Wijkspreekuur")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("maandag")
        TUESDAY = 1, _("dinsdag")
        WEDNESDAY = 2, _("woensdag")
        THURSDAY = 3, _("donderdag")
        FRIDAY = 4, _("vrijdag")
        SATURDAY = 5, _("zaterdag")
        SUNDAY = 6, _("zondag")

    location = models.ForeignKey(
        Location, verbose_name=_("locatie"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices, default=Kind.OPENING)
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    opens = models.TimeField(_("van"))
    closes = models.TimeField(_("tot"))
    note = models.CharField(
        _("toelichting"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: alleen op afspraak, of: in de bibliotheek."),
    )

    class Meta:
        verbose_name = _("openingstijd")
        verbose_name_plural = _("openingstijden")
        ordering = ["location", "kind", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="opening_hours_close_after_open",
                violation_error_message=_("De sluitingstijd moet na de openingstijd liggen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class PopulationFigure(models.Model):
    """How many people live in a district in an age band, in a year: the denominator of the
    reach analysis. Imported from a CSV file (``schakelpunt import_population``); a new import
    of the same municipality and year replaces all its figures of that year."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        related_name="population_figures",
    )
    district = models.ForeignKey(
        District, verbose_name=_("wijk"), on_delete=models.CASCADE, related_name="population_figures"
    )
    age_band = models.CharField(
        _("leeftijdsgroep"),
        max_length=16,
        help_text=_("Dezelfde leeftijdsgroepen als in Inzicht, bijvoorbeeld 65-74."),
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(1900), MaxValueValidator(2999)]
    )
    inhabitants = models.PositiveIntegerField(_("inwoners"))
    imported_at = models.DateTimeField(_("ingelezen op"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingelezen door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: ingelezen met de opdrachtregel."),
    )

    class Meta:
        verbose_name = _("bevolkingscijfer")
        verbose_name_plural = _("bevolkingscijfers")
        ordering = ["municipality__name", "year", "district__name", "age_band"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "district", "age_band", "year"],
                name="population_figure_unique",
                violation_error_message=_("Voor deze wijk, leeftijdsgroep en dit jaar is er al een cijfer."),
            ),
        ]
        indexes = [models.Index(fields=["municipality", "year"], name="population_municipality_year")]

    def __str__(self) -> str:
        return f"{self.district} {self.age_band} {self.year}: {self.inhabitants}"


class SelfAssessment(TimeStampedModel):
    """The desk's yearly self-assessment from the resident's point of view: one per desk per
    year, filled in by the coordinator. ``answers`` holds, per checklist item (the list lives in
    ``schakelpunt.insights.quality.CHECKLIST``), ``{"score": 1-4, "note": "..."}``. Written only
    through ``insights.quality.self_assessment_save``; only the current year can be changed."""

    desk = models.ForeignKey(
        Desk, verbose_name=_("loket"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2999)]
    )
    answers = models.JSONField(_("antwoorden"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevuld door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("laatst gewijzigd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("zelfevaluatie")
        verbose_name_plural = _("zelfevaluaties")
        ordering = ["desk__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "year"],
                name="self_assessment_one_per_desk_per_year",
                violation_error_message=_("Dit loket heeft voor dit jaar al een zelfevaluatie."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.desk} {self.year}"
