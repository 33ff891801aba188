import datetime

import factory
from django.utils import timezone

from schakelpunt.directory.models import (
    Address,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTerm,
    Taxonomy,
    TaxonomyTerm,
)


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy

    name = factory.Sequence(lambda n: f"Taxonomie {n}")
    description = "Termen voor de tests"
    facet = Taxonomy.Facet.CATEGORY


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    taxonomy_detail = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Term {n}")
    description = "Een term"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Aanbieder {n}")
    description = "Een aanbieder in de regio"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    location_type = Location.LocationType.PHYSICAL
    name = factory.Sequence(lambda n: f"Locatie {n}")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    location = factory.SubFactory(LocationFactory)
    address_1 = "Stationsplein 1"
    city = "Enschede"
    state_province = "Overijssel"
    postal_code = "7511 JD"
    country = "NL"
    address_type = Address.AddressType.PHYSICAL


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Dienst {n}")
    description = "Hulp bij vragen over wonen, zorg en welzijn"
    status = Service.Status.ACTIVE
    assured_date = factory.LazyFunction(timezone.localdate)

    class Params:
        stale = factory.Trait(
            assured_date=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=400))
        )
        waiting_list = factory.Trait(
            capacity=Service.Capacity.WAITING_LIST,
            capacity_wait_band=Service.WaitBand.WEEKS_2_6,
            capacity_confirmed_on=factory.LazyFunction(timezone.localdate),
        )
        full = factory.Trait(
            capacity=Service.Capacity.FULL, capacity_confirmed_on=factory.LazyFunction(timezone.localdate)
        )
        available = factory.Trait(
            capacity=Service.Capacity.AVAILABLE,
            capacity_confirmed_on=factory.LazyFunction(timezone.localdate),
        )
        defunct = factory.Trait(status=Service.Status.DEFUNCT)


class ServiceTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceTerm

    service = factory.SubFactory(ServiceFactory)
    taxonomy_term = factory.SubFactory(TaxonomyTermFactory)


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(
        LocationFactory, organization=factory.SelfAttribute("..service.organization")
    )


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    service = factory.SubFactory(ServiceFactory)
    name = factory.LazyAttribute(lambda o: o.municipality.name if o.municipality else "Regio")


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    freq = Schedule.Freq.WEEKLY
    byday = "MO,TU,WE,TH,FR"
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(17, 0)


def indexed(*services):
    """Services as a write path leaves them: with their search text built."""
    from schakelpunt.directory.indexing import refresh_search_text

    refresh_search_text([service.pk for service in services])
    for service in services:
        service.refresh_from_db()
    return services[0] if len(services) == 1 else services
