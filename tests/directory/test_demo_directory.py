"""The demo social map: realistic, linked to the demo's participants, and loaded once."""

import random
import time
from collections import Counter
from io import StringIO

import pytest
from django.utils import timezone

from schakelpunt.accounts import demo as accounts_demo
from schakelpunt.directory import demo
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
)
from schakelpunt.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db
MODELS = [Organization, Location, Address, Service, ServiceAtLocation, ServiceTerm, ServiceArea, Schedule]


def _load():
    out = StringIO()
    for module in (organisations_demo, accounts_demo, demo):
        module.load(rng=random.Random(2026), fake=_fake(), stdout=out)
    return out.getvalue()


def _fake():
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(2026)
    return fake


def test_demo_directory_loads_once_and_fast():
    started = time.monotonic()
    output = _load()
    assert time.monotonic() - started < 20  # a few seconds on a laptop; generous for CI
    assert "Demo social map" in output
    counts = [model.objects.count() for model in MODELS]
    histories = Service.history.count()
    _load()
    assert [model.objects.count() for model in MODELS] == counts
    assert Service.history.count() == histories == Service.objects.count()


def test_demo_directory_looks_like_a_region():
    _load()
    services = Service.objects.all()
    assert 250 <= services.count() <= 350
    # The desk's participants are on the map; the demo partner has services to keep.
    assert Organization.objects.filter(participant__isnull=False).count() == 10
    partner = accounts_demo.User.objects.get(username="partner")
    assert Service.objects.editable_by(partner).count() >= 10
    assert Organization.objects.filter(participant__isnull=True).count() >= 25

    # Every main category and most target groups have services; every service has a category.
    terms = Counter(
        ServiceTerm.objects.filter(taxonomy_term__parent__isnull=False).values_list(
            "taxonomy_term__parent__code", flat=True
        )
    )
    assert set(terms) == {"WON", "ZORG", "WEL", "FIN", "JEUGD", "WERK", "VEIL", "RECHT"}
    groups = ServiceTerm.objects.filter(taxonomy_term__taxonomy_detail__facet=Taxonomy.Facet.TARGET_GROUP)
    assert groups.values("taxonomy_term").distinct().count() >= 12
    categorised = ServiceTerm.objects.filter(taxonomy_term__taxonomy_detail__facet=Taxonomy.Facet.CATEGORY)
    assert not services.exclude(pk__in=categorised.values("service")).exists()

    # Where: addresses in the three towns with their postcodes; areas per municipality.
    towns = Counter(Address.objects.values_list("city", flat=True))
    assert set(towns) == {"Enschede", "Hengelo", "Oldenzaal"}
    for address in Address.objects.all():
        assert address.postal_code[:2] in ("75", "76") and len(address.postal_code) == 7
    assert not services.exclude(pk__in=ServiceArea.objects.values("service")).exists()
    assert set(ServiceArea.objects.values_list("municipality__name", flat=True)) == {
        "Enschede",
        "Hengelo",
        "Oldenzaal",
    }
    assert not Location.objects.filter(municipality=None).exists()

    # When, what it costs, for whom, and whether there is room.
    assert not services.exclude(pk__in=Schedule.objects.values("service")).exists()
    free = services.filter(is_free=True).count() / services.count()
    assert 0.4 < free < 0.8
    assert services.filter(minimum_age__isnull=False).exists() and services.filter(maximum_age=4).exists()
    capacity = Counter(services.values_list("capacity", flat=True))
    assert capacity["available"] > 0.5 * services.count()
    assert capacity["waiting_list"] > 20 and capacity["full"] > 3
    assert not services.filter(capacity="waiting_list", capacity_wait_band="").exists()

    # Freshness: spread over the last year, some to be checked, the oldest first in that list.
    today = timezone.localdate()
    stale = services.stale().count()
    assert 0.15 * services.count() < stale < 0.5 * services.count()
    oldest = services.exclude(assured_date=None).order_by("assured_date").first().assured_date
    assert 300 < (today - oldest).days <= 365
    assert services.filter(assured_date=None).exists()
    # Search text is built.
    assert not services.filter(search_text="").exists()
