"""Every role in the browser: its home page, its navigation, and every page it reaches."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import ROLES
from tests.e2e.conftest import assert_accessible, login
from tests.organisations.factories import (
    LocationFactory,
    OpeningHoursFactory,
    OrganisationFactory,
    ParticipationFactory,
)

# What each role finds in the main menu. Written out by hand rather than derived from
# schakelpunt.core.navigation, so that a change in a rule or in the roles fixture shows here:
# Nieuw contact needs contacts.add_contact and contacts.add_question, Werklijst
# contacts.view_question, Doorverwijzingen referrals.view_referral and referrals.add_referral,
# Verwijzingen aan ons referrals.work_referral, Wmo-meldingen wmo.view_wmoreport,
# Signalen signalling.view_signal, Sociale kaart directory.view_service, Diensten beheren
# directory.change_service, Deelnemers organisations.view_participation, Inzicht
# insights.view_dashboard, Toegangslog audit.view_accesslog, Beheer (the admin site) is_staff;
# Start and API are open to every logged-in user.
EXPECTED_NAVIGATION = {
    "Frontoffice": [
        "Start",
        "Nieuw contact",
        "Werklijst",
        "Doorverwijzingen",
        "Signalen",
        "Sociale kaart",
        "Deelnemers",
        "API",
    ],
    "Vrijwilliger": [
        "Start",
        "Nieuw contact",
        "Werklijst",
        "Doorverwijzingen",
        "Sociale kaart",
        "Deelnemers",
        "API",
    ],
    "Consulent": [
        "Start",
        "Nieuw contact",
        "Werklijst",
        "Doorverwijzingen",
        "Wmo-meldingen",
        "Signalen",
        "Sociale kaart",
        "Deelnemers",
        "API",
    ],
    "Partner": ["Start", "Verwijzingen aan ons", "Signalen", "Sociale kaart", "Diensten beheren", "API"],
    "Coördinator": [
        "Start",
        "Nieuw contact",
        "Werklijst",
        "Doorverwijzingen",
        "Wmo-meldingen",
        "Signalen",
        "Sociale kaart",
        "Deelnemers",
        "Inzicht",
        "API",
    ],
    "Beleidsmedewerker": ["Start", "Signalen", "Sociale kaart", "Deelnemers", "Inzicht", "API"],
    "Privacyfunctionaris": ["Start", "Toegangslog", "API"],
    "Functioneel beheerder": ["Start", "Sociale kaart", "Diensten beheren", "Deelnemers", "Beheer", "API"],
}


def test_every_role_is_listed():
    assert set(EXPECTED_NAVIGATION) == set(ROLES)


@pytest.fixture
def desk_with_data(desk):
    location = LocationFactory(desk=desk, name="Stadskantoor")
    OpeningHoursFactory(location=location, weekday=0)
    OpeningHoursFactory(location=location, weekday=2, note="Alleen op afspraak")
    ParticipationFactory(desk=desk, organisation=OrganisationFactory(name="Thuiszorg Oost"))
    return desk


@pytest.mark.parametrize("role", ROLES)
def test_role_navigation_and_pages(page, live_server, user_for, desk_with_data, role):
    user = user_for(role)
    login(page, live_server, user)

    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom, {user.first_name}")
    menu = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link")
    expect(menu).to_have_text(EXPECTED_NAVIGATION[role])
    expect(menu.first).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    links = [(link.inner_text(), link.get_attribute("href")) for link in menu.all()]
    for label, href in links[1:]:
        # Beheer (Django's admin site) and API (drf-spectacular's Swagger UI) are third-party
        # pages: we only check that they load; their markup is not ours to fix.
        response = page.goto(f"{live_server.url}{href}")
        assert response.status == 200, f"{role}: {label} ({href}) gave {response.status}"
        if label == "Beheer":
            expect(page).to_have_title(re.compile("Schakelpunt"))
            page.wait_for_load_state("networkidle")
            continue
        if label == "API":
            expect(page).to_have_title("Schakelpunt API")
            page.wait_for_load_state("networkidle")
            continue
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        current = page.get_by_role("navigation", name="Hoofdmenu").locator("[aria-current=page]")
        expect(current).to_have_text(label)
        assert_accessible(page)
