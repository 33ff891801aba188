"""A partner keeps their services current in the browser: the manage list with the services to
be checked, a quick capacity update, and the opening hours in the edit form.

Screenshots (docs/user/img/directory-*.png) only with SCHAKELPUNT_SCREENSHOTS=1.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schakelpunt.directory.defaults import seed_taxonomies, term_id
from schakelpunt.directory.models import Schedule, Service, ServiceTerm
from tests.directory.factories import OrganizationFactory, ScheduleFactory, ServiceFactory, indexed
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.organisations.factories import MunicipalityFactory, OrganisationFactory


@pytest.fixture
def setting(user_for):
    seed_taxonomies()  # browser tests run on a flushed database
    today = timezone.localdate()
    participant = OrganisationFactory(name="Thuiszorg Tukkerland", type="care_provider")
    organization = OrganizationFactory(name="Thuiszorg Tukkerland", participant=participant)
    partner = user_for("Partner", organisation=participant, desks=[], first_name="Mehmet", last_name="Yilmaz")
    MunicipalityFactory(name="Enschede", code="GM0153")
    services = []
    specs = [
        ("Huishoudelijke hulp Enschede", 210, "waiting_list", "2-6w", "ZORG-HH"),
        ("Persoonlijke verzorging Enschede", 20, "available", "", "ZORG-PV"),
        ("Personenalarmering", None, "available", "", "ZORG-ALARM"),
        ("Maaltijdservice aan huis", 400, "full", "", "WEL-MAALT"),
        ("Individuele begeleiding", 60, "waiting_list", "6-12w", "ZORG-BEG"),
    ]
    for name, days, capacity, band, code in specs:
        service = ServiceFactory(
            organization=organization,
            name=name,
            assured_date=None if days is None else today - datetime.timedelta(days=days),
            capacity=capacity,
            capacity_wait_band=band,
            capacity_confirmed_on=today - datetime.timedelta(days=(days or 30) % 90),
        )
        ServiceTerm.objects.create(service=service, taxonomy_term_id=term_id(code))
        ServiceTerm.objects.create(service=service, taxonomy_term_id=term_id("DG-OUD"))
        services.append(indexed(service))
    ScheduleFactory(
        service=services[0], byday="MO,TU,WE,TH,FR", opens_at=datetime.time(9), closes_at=datetime.time(17)
    )
    # Another organisation's service: the partner never sees it.
    ServiceFactory(
        organization=OrganizationFactory(name="Welzijn Twente Samen"), name="Koffie-inloop", stale=True
    )
    return {"partner": partner, "service": services[0]}


def test_partner_updates_capacity_and_opening_hours(page, live_server, setting):
    service = setting["service"]
    login(page, live_server, setting["partner"])
    page.goto(f"{live_server.url}/sociale-kaart/beheer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn diensten op de sociale kaart")
    expect(page.get_by_role("link", name="Mijn diensten (5)")).to_be_visible()
    expect(page.get_by_text("Koffie-inloop")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "directory-manage.png")

    page.get_by_role("link", name="Te controleren (3)").click()
    rows = page.locator("tbody tr th a")
    expect(rows).to_have_text(
        ["Personenalarmering", "Maaltijdservice aan huis", "Huishoudelijke hulp Enschede"]
    )
    assert_accessible(page)
    screenshot(page, "directory-manage-stale.png")

    page.get_by_role("link", name="Huishoudelijke hulp Enschede", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huishoudelijke hulp Enschede bewerken")
    assert_accessible(page)

    # The quick capacity update: full for now.
    page.get_by_label("Capaciteit", exact=True).first.select_option(label="Vol")
    page.get_by_role("button", name="Capaciteit opslaan").click()
    expect(
        page.get_by_text("De capaciteit van ‘Huishoudelijke hulp Enschede’ is bijgewerkt: Vol.")
    ).to_be_visible()
    service.refresh_from_db()
    assert (service.capacity, service.capacity_wait_band) == ("full", "")

    # Opening hours: Friday afternoon off, and a telephone hour on Saturday morning.
    first = page.get_by_role("group", name="Tijdvak 1", exact=True)
    first.get_by_label("vrijdag").uncheck()
    first.get_by_label("Open tot").fill("16:30")
    second = page.get_by_role("group", name="Tijdvak 2 (nieuw)")
    second.get_by_label("zaterdag").check()
    second.get_by_label("Open vanaf").fill("10:00")
    second.get_by_label("Open tot").fill("12:00")
    second.get_by_label("Toelichting").fill("Alleen telefonisch")
    page.locator("details", has_text="Welzijn").locator("summary").click()
    page.get_by_label("Maaltijden").check()
    assert_accessible(page)
    screenshot(page, "directory-edit.png")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(page.get_by_text("De wijzigingen zijn opgeslagen.")).to_be_visible()

    hours = set(
        Schedule.objects.filter(service=service).values_list("byday", "opens_at", "closes_at", "description")
    )
    assert hours == {
        ("MO,TU,WE,TH", datetime.time(9), datetime.time(16, 30), ""),
        ("SA", datetime.time(10), datetime.time(12), "Alleen telefonisch"),
    }
    service = Service.objects.get(pk=service.pk)
    assert set(service.terms.values_list("code", flat=True)) == {"ZORG-HH", "DG-OUD", "WEL-MAALT"}
    assert service.assured_date == timezone.localdate()

    page.get_by_role("link", name="Geschiedenis").first.click()
    expect(page.get_by_text("Openingstijd toegevoegd: za 10:00–12:00.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "directory-history.png")
