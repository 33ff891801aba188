"""Looking after a resident in the browser: change the details (also when a colleague saved first),
add a representative, record and withdraw a consent, and compare two ZRM measurements.

The pictures for the user documentation (docs/user/img/inwoner-wijzigen.png,
zelfredzaamheid.png) are only written with SCHAKELPUNT_SCREENSHOTS=1.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schakelpunt.contacts.models import Assessment
from schakelpunt.residents.models import Consent, Representation
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.organisations.factories import DistrictFactory, OrganisationFactory
from tests.residents.factories import BSNS, ResidentFactory


@pytest.fixture
def fatima(user_for):
    return user_for("Frontoffice", first_name="Fatima", last_name="El Amrani", username="f.elamrani")


@pytest.fixture
def johanna(desk):
    desk.municipalities.update(name="Enschede")
    return ResidentFactory(
        registered_desk=desk,
        given_names="Johanna",
        surname_prefix="de",
        surname="Vries-Bakker",
        birth_date=datetime.date(1944, 5, 17),
        bsn=BSNS[1],
        street="Lasondersingel",
        house_number=112,
        postcode="7514 BP",
        town="Enschede",
        phone="053 431 22 87",
        district=DistrictFactory(name="Lasonder-Zeggelt", municipality=desk.municipalities.first()),
    )


def resident_url(live_server, resident, rest: str = "") -> str:
    return f"{live_server.url}/inwoners/{resident.pk}/{rest}"


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def personal_data(page):
    return page.locator("section[aria-labelledby=personal-heading]")


def test_edit_the_details(page, live_server, fatima, johanna):
    login(page, live_server, fatima)
    page.goto(resident_url(live_server, johanna))
    click_and_wait(page, page.get_by_role("link", name="Gegevens wijzigen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gegevens wijzigen")
    expect(page.get_by_role("textbox", name=re.compile("^BSN"))).to_have_value(BSNS[1])
    expect(page.get_by_role("textbox", name=re.compile("^Geboortedatum"))).to_have_value("17-05-1944")
    assert_accessible(page)
    screenshot(page, "inwoner-wijzigen.png")

    # A mistake is shown at its field and nothing is saved.
    page.get_by_label("Postcode").fill("7514 B")
    page.get_by_label("Telefoonnummer").fill("06 1234 5678")
    click_and_wait(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_label("Postcode")).to_have_accessible_description(
        re.compile("Vul een postcode in als 1234 AB")
    )
    expect(page.get_by_label("Telefoonnummer")).to_have_value("06 1234 5678")
    assert_accessible(page)

    page.get_by_label("Postcode").fill("7511jd")
    page.get_by_label("Huisnummer").fill("1")
    page.get_by_label("Straat").fill("Stationsplein")
    page.get_by_label("Voorkeur voor contact").select_option(label="Telefoon")
    click_and_wait(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text("De gegevens zijn opgeslagen.")).to_be_visible()
    expect(personal_data(page)).to_contain_text("Stationsplein 1, 7511 JD Enschede")
    expect(personal_data(page)).to_contain_text("06 1234 5678")
    johanna.refresh_from_db()
    assert (johanna.postcode, johanna.version, johanna.preferred_channel) == ("7511 JD", 2, "phone")


def test_colleague_saved_first(browser, page, live_server, fatima, johanna, user_for, browser_errors):
    sander = user_for("Frontoffice", first_name="Sander", last_name="de Vries")
    other_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    other_context.set_default_timeout(10_000)
    other = other_context.new_page()
    other.on("pageerror", lambda error: browser_errors.append(f"pageerror: {error}"))
    try:
        login(page, live_server, fatima)
        login(other, live_server, sander)
        page.goto(resident_url(live_server, johanna, "bewerken/"))
        other.goto(resident_url(live_server, johanna, "bewerken/"))  # both open version 1

        page.get_by_label("Telefoonnummer").fill("06 1111 2222")
        click_and_wait(page, page.get_by_role("button", name="Opslaan"))
        expect(page.get_by_text("De gegevens zijn opgeslagen.")).to_be_visible()

        other.get_by_label("E-mailadres").fill("johanna@example.nl")
        click_and_wait(other, other.get_by_role("button", name="Opslaan"))
        expect(other.get_by_role("alert")).to_contain_text("Iemand anders heeft dit intussen gewijzigd")
        expect(other.get_by_label("E-mailadres")).to_have_value("johanna@example.nl")
        assert_accessible(other)
    finally:
        other_context.close()
    johanna.refresh_from_db()
    assert (johanna.phone, johanna.email, johanna.version) == ("06 1111 2222", "", 2)


def test_add_a_representative_who_lives_at_the_same_address(page, live_server, fatima, johanna, desk):
    gerrit = ResidentFactory(
        registered_desk=desk,
        given_names="Gerrit",
        surname_prefix="de",
        surname="Vries",
        birth_date=datetime.date(1942, 1, 9),
        postcode="7514 BP",
        house_number=112,
    )
    login(page, live_server, fatima)
    page.goto(resident_url(live_server, johanna))
    click_and_wait(page, page.get_by_role("link", name="Vertegenwoordiger toevoegen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vertegenwoordiger toevoegen")
    page.get_by_label("Soort vertegenwoordiger").select_option(label="Mantelzorger")
    page.get_by_label("Gerrit de Vries, geboren 09-01-1942").check()
    assert_accessible(page)
    click_and_wait(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text("De vertegenwoordiger is toegevoegd.")).to_be_visible()
    expect(personal_data(page).get_by_role("link", name="Gerrit de Vries")).to_be_visible()
    assert Representation.objects.get(resident=johanna).representative == gerrit


def test_record_and_withdraw_a_consent(page, live_server, fatima, johanna):
    OrganisationFactory(name="Schuldhulp Twente")
    login(page, live_server, fatima)
    page.goto(resident_url(live_server, johanna))
    click_and_wait(page, page.get_by_role("link", name="Toestemming vastleggen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Toestemming vastleggen")
    assert_accessible(page)

    page.get_by_label("Doel").fill("Aanmelding bij schuldhulpverlening")
    page.get_by_label("Organisatie").select_option(label="Schuldhulp Twente")
    page.get_by_label("Contactgegevens").check()
    page.get_by_label("De hulpvraag").check()
    page.get_by_label("BSN (alleen met wettelijke grondslag)").check()
    page.get_by_label("Gegeven door").fill("Ellen de Vries")
    click_and_wait(page, page.get_by_role("button", name="Opslaan"))
    expect(
        page.get_by_role("textbox", name=re.compile("^Wettelijke grondslag"))
    ).to_have_accessible_description(re.compile("Vul de wettelijke grondslag in"))
    expect(page.get_by_label("Contactgegevens")).to_be_checked()
    assert_accessible(page)
    assert not Consent.objects.exists()

    page.get_by_role("textbox", name=re.compile("^Wettelijke grondslag")).fill(
        "Wet gemeentelijke schuldhulpverlening, art. 3"
    )
    click_and_wait(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text("De toestemming is vastgelegd.")).to_be_visible()
    expect(personal_data(page)).to_contain_text("Aanmelding bij schuldhulpverlening")
    expect(personal_data(page)).to_contain_text("voor Schuldhulp Twente")

    click_and_wait(
        page, page.get_by_role("link", name="Intrekken: toestemming Aanmelding bij schuldhulpverlening")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Toestemming intrekken")
    expect(page.locator("main")).to_contain_text("door Ellen de Vries")
    assert_accessible(page)
    click_and_wait(page, page.get_by_role("button", name="Toestemming intrekken"))
    expect(page.get_by_text("De toestemming is ingetrokken.")).to_be_visible()
    expect(personal_data(page)).not_to_contain_text("Aanmelding bij schuldhulpverlening")
    expect(page.locator("#timeline article[data-kind=consent]")).to_contain_text("Ingetrokken op")
    assert Consent.objects.get().withdrawn_at is not None


FIRST = {"Financiën": 2, "Huisvesting": 3, "Sociaal netwerk": 2, "Lichamelijke gezondheid": 3}
SECOND = {"Financiën": 3, "Huisvesting": 3, "Sociaal netwerk": 1, "Basale ADL": 4}


def fill_measurement(page, scores: dict[str, int]) -> None:
    for domain, score in scores.items():
        page.get_by_role("group", name=domain, exact=True).get_by_label(re.compile(rf"^{score} – ")).check()
    click_and_wait(page, page.get_by_role("button", name="Meting opslaan"))
    expect(page.get_by_text("De meting is opgeslagen.")).to_be_visible()


def test_two_zrm_measurements_side_by_side(page, live_server, fatima, johanna):
    login(page, live_server, fatima)
    page.goto(resident_url(live_server, johanna))
    click_and_wait(page, page.get_by_role("link", name="Zelfredzaamheid"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zelfredzaamheid")
    expect(page.get_by_text("Er is nog geen meting vastgelegd.")).to_be_visible()
    expect(page.locator("fieldset.sp-score-group")).to_have_count(13)
    assert_accessible(page)

    # Nothing chosen: refused, with the reason on top.
    click_and_wait(page, page.get_by_role("button", name="Meting opslaan"))
    expect(page.get_by_role("alert")).to_contain_text("Geef ten minste één domein een score.")

    fill_measurement(page, FIRST)
    # The first measurement was three months ago.
    Assessment.objects.update(assessed_at=timezone.now() - datetime.timedelta(days=91))
    page.reload()
    expect(page.get_by_role("group", name="Financiën")).to_contain_text("Vorige meting")
    fill_measurement(page, SECOND)

    rows = page.locator("table.sp-scores tbody tr")
    expect(rows).to_have_count(13)
    expect(page.locator("table.sp-scores thead th")).to_have_count(3)
    financien = rows.filter(has=page.get_by_role("rowheader", name="Financiën"))
    expect(financien.locator("td").first).to_have_text("3 ▲ beter")
    expect(financien.locator("td").last).to_have_text("2")
    network = rows.filter(has=page.get_by_role("rowheader", name="Sociaal netwerk"))
    expect(network.locator("td").first).to_have_text("1 ▼ slechter")
    housing = rows.filter(has=page.get_by_role("rowheader", name="Huisvesting"))
    expect(housing.locator("td").first).to_have_text("3 = gelijk")
    adl = rows.filter(has=page.get_by_role("rowheader", name="Basale ADL"))
    expect(adl.locator("td").first).to_have_text("4")
    expect(adl.locator("td").last).to_have_text("—niet gemeten")
    assert_accessible(page)
    screenshot(page, "zelfredzaamheid.png")
    assert Assessment.objects.filter(resident=johanna).count() == 2
