"""A small, realistic social map for the browser tests and their screenshots."""

import datetime

from django.utils import timezone

from schakelpunt.directory.models import Schedule, Service, Taxonomy, TaxonomyTerm
from tests.directory.factories import (
    AddressFactory,
    LocationFactory,
    OrganizationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTermFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
    indexed,
)


def social_map() -> dict:
    # Migration 0003 seeds the full Dutch taxonomy (until the first transactional test flushes
    # it): start from the same few categories every time, so pages and pictures stay the same.
    TaxonomyTerm.objects.filter(parent__isnull=False).delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()
    categories = TaxonomyFactory(name="Aanbod", facet=Taxonomy.Facet.CATEGORY)
    groups = TaxonomyFactory(name="Doelgroepen", facet=Taxonomy.Facet.TARGET_GROUP)
    geld = TaxonomyTermFactory(
        taxonomy_detail=categories, code="GELD", name="Geld en schulden", description="Hulp bij geldzaken."
    )
    schulden = TaxonomyTermFactory(
        taxonomy_detail=categories,
        code="GELD-SCH",
        name="Schuldhulpverlening",
        parent=geld,
        description="Als rekeningen zich opstapelen.",
    )
    admin = TaxonomyTermFactory(
        taxonomy_detail=categories,
        code="GELD-ADM",
        name="Thuisadministratie",
        parent=geld,
        description="Orde in de papieren.",
    )
    zorg = TaxonomyTermFactory(
        taxonomy_detail=categories, code="ZORG", name="Zorg", description="Zorg en ondersteuning thuis."
    )
    mantelzorg = TaxonomyTermFactory(
        taxonomy_detail=categories,
        code="ZORG-MZ",
        name="Mantelzorgondersteuning",
        parent=zorg,
        description="Steun voor wie zorgt.",
    )
    wonen = TaxonomyTermFactory(
        taxonomy_detail=categories, code="WON", name="Wonen", description="Een passende woning."
    )
    ouderen = TaxonomyTermFactory(taxonomy_detail=groups, code="OUD", name="Ouderen")

    humanitas = OrganizationFactory(
        name="Humanitas Twente", description="Vrijwilligers voor mensen die het even niet redden."
    )
    gemeente = OrganizationFactory(name="Gemeente Enschede", description="De gemeente.")
    wijkwerk = OrganizationFactory(name="Alifa Welzijn", description="Welzijnswerk in de wijk.")
    location = LocationFactory(
        organization=gemeente, name="Stadskantoor", transportation="Bus 1 en 2, halte Stadskantoor."
    )
    AddressFactory(location=location, address_1="Hengelosestraat 51", postal_code="7514 AD", city="Enschede")
    location.accessibility.create(description="Rolstoeltoegankelijk, invalidentoilet aanwezig")
    location.phones.create(number="14 053")

    schuldhulp = ServiceFactory(
        organization=gemeente,
        name="Schuldhulpverlening Enschede",
        description=(
            "Hulp bij problematische schulden: een budgetplan, afspraken met schuldeisers en zo "
            "nodig een schuldregeling."
        ),
        eligibility_description="Inwoners van Enschede van 18 jaar en ouder met schulden.",
        application_process=(
            "Bel 14 053 of meld u aan bij de balie van het Stadskantoor. Neem uw post over geld mee."
        ),
        fees_description="",
        is_free=True,
        minimum_age=18,
        waiting_list=True,
        url="https://www.enschede.nl/schulden",
    )
    at_location = ServiceAtLocationFactory(service=schuldhulp, location=location)
    ScheduleFactory(
        service=None,
        service_at_location=at_location,
        byday="MO,TU,WE,TH,FR",
        opens_at=datetime.time(9),
        closes_at=datetime.time(17),
    )
    ScheduleFactory(
        service=None,
        service_at_location=at_location,
        freq=Schedule.Freq.MONTHLY,
        byday="1TH",
        opens_at=datetime.time(18, 30),
        closes_at=datetime.time(20, 30),
        description="avondspreekuur",
    )
    schuldhulp.phones.create(number="14 053", description="Schuldhulp, op werkdagen")
    ServiceTermFactory(service=schuldhulp, taxonomy_term=schulden)

    maatje = ServiceFactory(
        organization=humanitas,
        name="Thuisadministratie Humanitas",
        description="Een vrijwilliger helpt u thuis om uw post en papieren op orde te krijgen en te houden.",
        application_process="Meld u aan via de website of bel ons.",
        is_free=True,
        available=True,
    )
    ScheduleFactory(service=maatje, byday="TU,TH", opens_at=datetime.time(10), closes_at=datetime.time(12))
    ServiceTermFactory(service=maatje, taxonomy_term=admin)
    ServiceTermFactory(service=maatje, taxonomy_term=ouderen)

    steunpunt = ServiceFactory(
        organization=wijkwerk,
        name="Steunpunt Mantelzorg",
        description="Informatie, advies en lotgenotencontact voor mantelzorgers.",
        status=Service.Status.TEMPORARILY_CLOSED,
        alert="Het steunpunt is tot 1 maart gesloten wegens verbouwing. Bel voor een afspraak elders.",
        stale=True,
    )
    ServiceTermFactory(service=steunpunt, taxonomy_term=mantelzorg)

    ServiceFactory(
        organization=gemeente,
        name="Urgentieverklaring",
        description="Voorrang bij het zoeken naar een woning in een noodsituatie.",
        full=True,
    )
    ServiceFactory(organization=gemeente, name="Oude schuldhulplijn", description="Schulden", defunct=True)
    for service in Service.objects.all():
        if service.name == "Urgentieverklaring":
            ServiceTermFactory(service=service, taxonomy_term=wonen)
    indexed(*Service.objects.all())
    Service.objects.filter(assured_date__isnull=False, pk__in=[schuldhulp.pk, maatje.pk]).update(
        assured_date=timezone.localdate() - datetime.timedelta(days=20)
    )
    return {
        "schuldhulp": schuldhulp,
        "maatje": maatje,
        "steunpunt": steunpunt,
        "geld": geld,
        "schulden": schulden,
    }
