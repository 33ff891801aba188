"""Looking after a resident: details, representatives, consents and self-reliance, as each role."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Assessment, AssessmentDomain
from schakelpunt.contacts.services import assessment_record
from schakelpunt.residents.models import Consent, Representation, Resident
from tests.organisations.factories import DeskFactory, OrganisationFactory
from tests.residents.factories import BSNS, ConsentFactory, ResidentFactory

pytestmark = pytest.mark.django_db

CONFLICT = "Iemand anders heeft dit intussen gewijzigd"


@pytest.fixture
def employee(user_for):
    return user_for("Frontoffice", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def resident(desk):
    return ResidentFactory(
        registered_desk=desk,
        given_names="Johanna Maria",
        surname="Jansen",
        bsn=BSNS[0],
        street="Marktstraat",
        house_number=12,
        postcode="7511 AB",
        town="Enschede",
        phone="053 123 4567",
    )


def url(name: str, resident, **kwargs) -> str:
    return reverse(f"residents:{name}", kwargs={"pk": resident.pk, **kwargs})


def edit_data(resident, **changes) -> dict:
    """What the edit form posts when nothing is touched, with ``changes`` on top."""
    data = {
        "version": resident.version,
        "bsn": resident.bsn,
        "given_names": resident.given_names,
        "surname_prefix": resident.surname_prefix,
        "surname": resident.surname,
        "birth_date": resident.birth_date.strftime("%d-%m-%Y") if resident.birth_date else "",
        "postcode": resident.postcode,
        "house_number": resident.house_number or "",
        "house_number_addition": resident.house_number_addition,
        "street": resident.street,
        "town": resident.town,
        "phone": resident.phone,
        "email": resident.email,
        "preferred_channel": resident.preferred_channel,
    }
    if resident.is_secret:
        data["is_secret"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def log_rows(**filters) -> list[tuple]:
    return list(
        AccessLog.objects.filter(**filters).order_by("id").values_list("action", "object_type", "purpose")
    )


# --- who may use the pages ----------------------------------------------------------------

PAGES = ["edit", "representation-add", "consent-add", "consent-withdraw", "assessments"]


def page_url(name: str, resident) -> str:
    if name == "consent-withdraw":
        consent = ConsentFactory(resident=resident)
        return url(name, resident, consent_pk=consent.pk)
    return url(name, resident)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["Frontoffice", "Vrijwilliger", "Consulent", "Coördinator"])
def test_page_opens_for_the_desk_roles(client, user_for, resident, name, role):
    if role == "Vrijwilliger" and name == "assessments":
        pytest.skip("volunteers do not see self-reliance scores (test below)")
    client.force_login(user_for(role))
    response = client.get(page_url(name, resident))
    assert response.status_code == 200
    assert "Johanna Maria Jansen" in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_resident_of_another_desk_is_not_found(client, employee, name):
    other = ResidentFactory(registered_desk=DeskFactory())
    client.force_login(employee)
    assert client.get(page_url(name, other)).status_code == 404
    assert client.post(page_url(name, other), {}).status_code == 404


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["Partner", "Beleidsmedewerker", "Privacyfunctionaris"])
def test_page_is_refused_to_roles_without_residents(client, user_for, resident, name, role):
    client.force_login(user_for(role))
    target = page_url(name, resident)
    assert client.get(target).status_code == 403
    assert client.post(target, {}).status_code == 403
    assert AccessLog.objects.filter(result="refused").count() == 2


def test_consent_of_another_resident_is_not_found(client, employee, resident, desk):
    neighbour = ResidentFactory(registered_desk=desk)
    consent = ConsentFactory(resident=neighbour)
    client.force_login(employee)
    assert client.get(url("consent-withdraw", resident, consent_pk=consent.pk)).status_code == 404
    assert client.post(url("consent-withdraw", resident, consent_pk=consent.pk)).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_resident_page_links_to_the_pages(client, employee, resident):
    consent = ConsentFactory(resident=resident)
    client.force_login(employee)
    content = client.get(url("detail", resident)).content.decode()
    for target in (
        url("edit", resident),
        url("representation-add", resident),
        url("consent-add", resident),
        url("consent-withdraw", resident, consent_pk=consent.pk),
        url("assessments", resident),
    ):
        assert f'href="{target}"' in content
    for text in (
        "Gegevens wijzigen",
        "Vertegenwoordiger toevoegen",
        "Toestemming vastleggen",
        "Intrekken",
        "Zelfredzaamheid",
    ):
        assert text in content


# --- changing the details -----------------------------------------------------------------


def test_edit_form_shows_the_current_details(client, employee, resident):
    client.force_login(employee)
    response = client.get(url("edit", resident))
    content = response.content.decode()
    assert 'name="version" value="1"' in content
    for value in (BSNS[0], "Marktstraat", "7511 AB", "053 123 4567", "12-03-1948"):
        assert f'value="{value}"' in content
    assert log_rows(action="read") == [("read", "residents.resident", "edit")]


def test_edit_saves_the_changes(client, employee, resident):
    client.force_login(employee)
    response = client.post(
        url("edit", resident),
        edit_data(
            resident, phone="06 1234 5678", postcode="7514bp", house_number="112", email="j@example.nl"
        ),
    )
    assert response.status_code == 302 and response.url == url("detail", resident)
    resident.refresh_from_db()
    assert (resident.phone, resident.postcode, resident.house_number, resident.email) == (
        "06 1234 5678",
        "7514 BP",
        112,
        "j@example.nl",
    )
    assert resident.version == 2
    assert resident.bsn == BSNS[0]  # untouched fields stay as they were
    assert log_rows() == [("change", "residents.resident", "edit")]
    assert AccessLog.objects.get().object_id == str(resident.pk)
    page = client.get(response.url).content.decode()
    assert "De gegevens zijn opgeslagen." in page and "06 1234 5678" in page


def test_saving_without_changes_saves_nothing(client, employee, resident):
    client.force_login(employee)
    response = client.post(url("edit", resident), edit_data(resident), follow=True)
    assert "Er was niets gewijzigd." in response.content.decode()
    resident.refresh_from_db()
    assert resident.version == 1
    assert not AccessLog.objects.filter(action="change").exists()


def test_second_save_with_the_same_version_is_refused(client, employee, resident, user_for):
    colleague = user_for("Frontoffice")
    opened = edit_data(resident)  # both open version 1
    client.force_login(colleague)
    assert client.post(url("edit", resident), {**opened, "phone": "06 1111 1111"}).status_code == 302

    client.force_login(employee)
    response = client.post(url("edit", resident), {**opened, "phone": "06 2222 2222", "town": "Hengelo"})
    assert response.status_code == 200
    content = response.content.decode()
    assert CONFLICT in content and 'role="alert"' in content
    assert 'value="06 2222 2222"' in content and 'value="Hengelo"' in content  # what she typed stays
    assert f'href="{url("edit", resident)}" target="_blank"' in content
    resident.refresh_from_db()
    assert (resident.phone, resident.town, resident.version) == ("06 1111 1111", "Enschede", 2)
    assert AccessLog.objects.filter(action="change").count() == 1


def test_volunteer_neither_sees_nor_changes_the_bsn(client, user_for, resident):
    client.force_login(user_for("Vrijwilliger"))
    content = client.get(url("edit", resident)).content.decode()
    assert BSNS[0] not in content and 'name="bsn"' not in content
    response = client.post(url("edit", resident), edit_data(resident, bsn=BSNS[1], phone="06 3333 3333"))
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.bsn == BSNS[0] and resident.phone == "06 3333 3333"
    # Emptying it is not possible either.
    client.post(url("edit", resident), edit_data(resident, bsn=""))
    resident.refresh_from_db()
    assert resident.bsn == BSNS[0]


def test_secret_address_is_neither_shown_nor_changed_for_the_volunteer(client, user_for, resident):
    Resident.objects.filter(pk=resident.pk).update(is_secret=True, street="Geheimelaan")
    resident.refresh_from_db()
    client.force_login(user_for("Vrijwilliger"))
    content = client.get(url("edit", resident)).content.decode()
    assert "Geheimelaan" not in content and "7511 AB" not in content and 'name="street"' not in content
    assert "Adres afgeschermd (geheimhouding)" in content and 'name="is_secret"' not in content
    data = edit_data(resident, street="Openbarestraat", postcode="7514 BP", phone="06 4444 4444")
    data.pop("is_secret")  # unchecked: an attempt to lift the secrecy
    assert client.post(url("edit", resident), data).status_code == 302
    resident.refresh_from_db()
    assert (resident.street, resident.postcode, resident.is_secret) == ("Geheimelaan", "7511 AB", True)
    assert resident.phone == "06 4444 4444"

    client.force_login(user_for("Frontoffice"))
    content = client.get(url("edit", resident)).content.decode()
    assert 'value="Geheimelaan"' in content and 'name="is_secret"' in content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bsn", "123456789", "Dit is geen geldig BSN: een BSN heeft 9 cijfers en voldoet aan de elfproef."),
        ("postcode", "1234 A", "Vul een postcode in als 1234 AB"),
        ("birth_date", "31-02-1950", "Dit is geen bestaande datum. Schrijf de datum als dd-mm-jjjj."),
        ("birth_date", "01-01-2999", "Een geboortedatum kan niet in de toekomst liggen."),
        ("surname", "", "Dit veld is vereist."),
        ("email", "geen-adres", "Voer een geldig e-mailadres in."),
    ],
)
def test_bad_input_is_refused_at_the_field(client, employee, resident, field, value, message):
    client.force_login(employee)
    response = client.post(url("edit", resident), edit_data(resident, **{field: value, "phone": "06 5555"}))
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert f'id="id_{field}_error"' in content
    assert "Niet alles is goed ingevuld" in content
    resident.refresh_from_db()
    assert (resident.phone, resident.version) == ("053 123 4567", 1)
    assert not AccessLog.objects.filter(action="change").exists()


def test_bsn_of_another_active_resident_is_refused(client, employee, resident, desk):
    ResidentFactory(registered_desk=desk, bsn=BSNS[1])
    client.force_login(employee)
    response = client.post(url("edit", resident), edit_data(resident, bsn=BSNS[1]))
    assert "Er is al een actieve inwoner met dit BSN." in response.content.decode()
    resident.refresh_from_db()
    assert resident.bsn == BSNS[0]


# --- representatives ----------------------------------------------------------------------


def test_named_representative_is_added(client, employee, resident):
    client.force_login(employee)
    response = client.post(
        url("representation-add", resident),
        {
            "kind": "informal_carer",
            "name": "Ellen de Vries",
            "phone": "06 1234 5678",
            "valid_from": "01-02-2025",
        },
    )
    assert response.status_code == 302
    representation = Representation.objects.get(resident=resident)
    assert (representation.kind, representation.name, representation.representative) == (
        "informal_carer",
        "Ellen de Vries",
        None,
    )
    assert representation.valid_from == datetime.date(2025, 2, 1)
    assert log_rows(action="change") == [("change", "residents.resident", "representation")]
    page = client.get(url("detail", resident)).content.decode()
    assert "Mantelzorger:" in page and "Ellen de Vries" in page


def test_housemate_is_offered_and_picked(client, employee, resident, desk):
    partner = ResidentFactory(
        registered_desk=desk, given_names="Gerrit", surname="Jansen", postcode="7511 AB", house_number=12
    )
    ResidentFactory(registered_desk=desk, given_names="Buurman", postcode="7511 AB", house_number=14)
    ResidentFactory(
        registered_desk=DeskFactory(), given_names="Onzichtbaar", postcode="7511 AB", house_number=12
    )
    client.force_login(employee)
    content = client.get(url("representation-add", resident)).content.decode()
    assert "Gerrit Jansen, geboren 12-03-1948" in content
    assert "Buurman" not in content and "Onzichtbaar" not in content
    assert "Johanna Maria Jansen, geboren" not in content  # not herself
    response = client.post(url("representation-add", resident), {"kind": "family", "housemate": partner.pk})
    assert response.status_code == 302
    representation = Representation.objects.get(resident=resident)
    assert representation.representative == partner and representation.name == ""
    page = client.get(url("detail", resident)).content.decode()
    assert f'href="{url("detail", partner)}"' in page


def test_representative_found_by_bsn(client, employee, resident, desk):
    son = ResidentFactory(registered_desk=desk, given_names="Kees", bsn=BSNS[2], postcode="7522 NB")
    client.force_login(employee)
    response = client.post(
        url("representation-add", resident), {"kind": "legal", "representative_bsn": BSNS[2]}
    )
    assert response.status_code == 302
    assert Representation.objects.get(resident=resident).representative == son
    assert log_rows(action="search") == [("search", "residents.resident", "representation")]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "family"}, "name", "Vul de naam van de vertegenwoordiger in, of kies een inwoner."),
        ({"name": "Ellen"}, "kind", "Dit veld is vereist."),
        ({"kind": "legal", "representative_bsn": BSNS[3]}, "representative_bsn", "Geen inwoner gevonden"),
        ({"kind": "legal", "representative_bsn": BSNS[0]}, "representative_bsn", "niet zijn eigen"),
        ({"kind": "legal", "representative_bsn": "123456789"}, "representative_bsn", "geen geldig BSN"),
        (
            {"kind": "family", "name": "Ellen", "valid_from": "01-03-2025", "valid_until": "01-02-2025"},
            "valid_until",
            "De einddatum ligt vóór de begindatum.",
        ),
    ],
)
def test_representation_errors_at_the_field(client, employee, resident, data, field, message):
    client.force_login(employee)
    response = client.post(url("representation-add", resident), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content and f'id="id_{field}_error"' in content
    assert not Representation.objects.exists()


def test_representative_bsn_of_another_desk_is_not_found(client, employee, resident):
    ResidentFactory(registered_desk=DeskFactory(), bsn=BSNS[4])
    client.force_login(employee)
    response = client.post(
        url("representation-add", resident), {"kind": "legal", "representative_bsn": BSNS[4]}
    )
    assert "Geen inwoner gevonden met dit BSN." in response.content.decode()
    assert not Representation.objects.exists()


def test_volunteer_gets_no_bsn_field_and_no_secret_housemates(client, user_for, resident, desk):
    ResidentFactory(
        registered_desk=desk, given_names="Geheim", is_secret=True, postcode="7511 AB", house_number=12
    )
    ResidentFactory(registered_desk=desk, given_names="Open", postcode="7511 AB", house_number=12)
    client.force_login(user_for("Vrijwilliger"))
    content = client.get(url("representation-add", resident)).content.decode()
    assert 'name="representative_bsn"' not in content
    assert re.search(r"Open Jansen\d+, geboren 12-03-1948", content)  # the open housemate is offered
    assert "Geheim" not in content
    # A BSN posted anyway is ignored: without a name, nothing is saved.
    son = ResidentFactory(registered_desk=desk, bsn=BSNS[2])
    response = client.post(
        url("representation-add", resident), {"kind": "legal", "representative_bsn": son.bsn}
    )
    assert response.status_code == 200 and not Representation.objects.exists()
    assert not AccessLog.objects.filter(action="search").exists()


def test_no_housemates_are_offered_for_a_secret_resident_to_the_volunteer(client, user_for, resident, desk):
    Resident.objects.filter(pk=resident.pk).update(is_secret=True)
    ResidentFactory(registered_desk=desk, given_names="Huisgenoot", postcode="7511 AB", house_number=12)
    client.force_login(user_for("Vrijwilliger"))
    assert "Huisgenoot" not in client.get(url("representation-add", resident)).content.decode()
    client.force_login(user_for("Frontoffice"))
    assert "Huisgenoot" in client.get(url("representation-add", resident)).content.decode()


# --- consents -----------------------------------------------------------------------------


def personal_card(content: str) -> str:
    """The personal-data part of the resident page (the timeline below it also lists consents)."""
    return content.split('id="timeline-heading"')[0]


def test_consent_is_recorded_and_withdrawn(client, employee, resident):
    organisation = OrganisationFactory(name="Woningcorporatie De Veste")
    client.force_login(employee)
    response = client.post(
        url("consent-add", resident),
        {
            "purpose": "Doorverwijzing naar de woningcorporatie",
            "organisation": organisation.pk,
            "scope": ["contact_details", "question"],
            "given_by": "Ellen de Vries",
        },
    )
    assert response.status_code == 302 and response.url == url("detail", resident)
    consent = Consent.objects.get(resident=resident)
    assert consent.scope == ["contact_details", "question"]
    assert (consent.organisation, consent.given_by, consent.recorded_by) == (
        organisation,
        "Ellen de Vries",
        employee,
    )
    card = personal_card(client.get(url("detail", resident)).content.decode())
    assert "Doorverwijzing naar de woningcorporatie" in card and "voor Woningcorporatie De Veste" in card

    withdraw = url("consent-withdraw", resident, consent_pk=consent.pk)
    confirmation = client.get(withdraw).content.decode()
    assert "Doorverwijzing naar de woningcorporatie" in confirmation and "door Ellen de Vries" in confirmation
    consent.refresh_from_db()
    assert consent.withdrawn_at is None  # a GET only asks

    response = client.post(withdraw)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_recorded_by == employee
    page = client.get(url("detail", resident)).content.decode()
    assert "De toestemming is ingetrokken." in page
    assert "Doorverwijzing naar de woningcorporatie" not in personal_card(page)
    assert "Ingetrokken op" in page  # still on the timeline
    assert log_rows(action__in=["create", "change"]) == [
        ("create", "residents.consent", "consent"),
        ("change", "residents.consent", "consent"),
    ]

    # Withdrawing twice changes nothing.
    response = client.post(withdraw, follow=True)
    assert "Deze toestemming was al ingetrokken." in response.content.decode()
    assert AccessLog.objects.filter(action="change").count() == 1
    assert "is al ingetrokken op" in client.get(withdraw).content.decode()


def test_legal_basis_is_required_to_share_the_bsn(client, employee, resident):
    client.force_login(employee)
    data = {"purpose": "Aanmelding schuldhulp", "scope": ["contact_details", "bsn"]}
    response = client.post(url("consent-add", resident), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vul de wettelijke grondslag in: het BSN mag alleen worden gedeeld" in content
    assert 'id="id_legal_basis_error"' in content
    assert not Consent.objects.exists()

    response = client.post(url("consent-add", resident), {**data, "legal_basis": "Art. 3 Wgs"})
    assert response.status_code == 302
    assert Consent.objects.get().legal_basis == "Art. 3 Wgs"


def test_consent_needs_a_purpose_and_a_scope(client, employee, resident):
    client.force_login(employee)
    response = client.post(url("consent-add", resident), {"purpose": "", "legal_basis": ""})
    content = response.content.decode()
    assert "Kies ten minste één soort gegevens." in content and 'id="id_purpose_error"' in content
    assert not Consent.objects.exists()


def test_consent_form_offers_only_active_organisations(client, employee, resident):
    OrganisationFactory(name="Actieve stichting")
    OrganisationFactory(name="Opgeheven stichting", is_active=False)
    client.force_login(employee)
    content = client.get(url("consent-add", resident)).content.decode()
    assert "Actieve stichting" in content and "Opgeheven stichting" not in content


# --- self-reliance ------------------------------------------------------------------------


def zrm_domains() -> list[AssessmentDomain]:
    return list(AssessmentDomain.objects.filter(instrument__code="zrm").order_by("position"))


def measure(resident, user, scores: dict[str, int], days_ago: int) -> Assessment:
    assessment = assessment_record(acting_user=user, resident=resident, scores=scores)
    Assessment.objects.filter(pk=assessment.pk).update(
        assessed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return assessment


def table(content: str) -> dict[str, list[tuple[str, str]]]:
    """Domain name → per measurement (newest first) the score and the change, from the table."""
    body = content.split('<tbody class="utrecht-table__body">')[1].split("</tbody>")[0]
    rows = {}
    for row in re.findall(r"<tr.*?</tr>", body, re.S):
        name = re.search(r'scope="row">([^<]+)</th>', row).group(1)
        rows[name] = re.findall(r'data-score="(\d*)" data-change="(\w*)"', row)
    return rows


def test_assessment_form_has_the_13_zrm_domains(client, employee, resident):
    client.force_login(employee)
    content = client.get(url("assessments", resident)).content.decode()
    assert content.count('type="radio"') == 13 * 6  # "niet gemeten" and 1 to 5
    for domain in zrm_domains():
        assert (
            f'<legend class="utrecht-form-fieldset__legend utrecht-form-label">{domain.name}</legend>'
            in content
        )
    assert "3 – Beperkt zelfredzaam" in content
    assert "Er is nog geen meting vastgelegd." in content
    assert log_rows() == [("read", "residents.resident", "self_reliance")]


def test_assessment_is_recorded_with_the_scored_domains_only(client, employee, resident):
    client.force_login(employee)
    response = client.post(
        url("assessments", resident),
        {
            "score-financien": "2",
            "score-huisvesting": "4",
            "score-justitie": "",
            "score-sociaal-netwerk": "3",
        },
    )
    assert response.status_code == 302 and response.url == url("assessments", resident)
    assessment = Assessment.objects.get(resident=resident)
    assert dict(assessment.scores.values_list("domain__code", "score")) == {
        "financien": 2,
        "huisvesting": 4,
        "sociaal-netwerk": 3,
    }
    assert assessment.assessed_by == employee
    assert log_rows(action="create") == [("create", "contacts.assessment", "self_reliance")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Geef ten minste één domein een score."),
        ({"score-financien": "7"}, "Selecteer een geldige keuze."),
    ],
)
def test_assessment_errors(client, employee, resident, data, message):
    client.force_login(employee)
    response = client.post(url("assessments", resident), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_measurements_are_compared_newest_first(client, employee, resident):
    measure(resident, employee, {"financien": 2, "huisvesting": 3, "justitie": 5}, days_ago=60)
    measure(resident, employee, {"financien": 3, "huisvesting": 3, "justitie": 4}, days_ago=30)
    measure(resident, employee, {"financien": 4, "huisvesting": 2}, days_ago=1)
    client.force_login(employee)
    content = client.get(url("assessments", resident)).content.decode()
    rows = table(content)
    assert list(rows) == [domain.name for domain in zrm_domains()]
    assert rows["Financiën"] == [("4", "better"), ("3", "better"), ("2", "")]
    assert rows["Huisvesting"] == [("2", "worse"), ("3", "same"), ("3", "")]
    assert rows["Justitie"] == [("", ""), ("4", "worse"), ("5", "")]
    assert rows["Middelengebruik"] == [("", ""), ("", ""), ("", "")]
    # Not colour alone: the change is written out.
    assert "▲</span> beter" in content and "▼</span> slechter" in content and "=</span> gelijk" in content
    # Under each domain of the new measurement: the latest score.
    assert "Vorige meting: 4 – Voldoende zelfredzaam" in content


def test_another_residents_measurements_are_not_shown(client, employee, resident, desk):
    other = ResidentFactory(registered_desk=desk)
    measure(other, employee, {"financien": 1}, days_ago=3)
    client.force_login(employee)
    assert "Er is nog geen meting vastgelegd." in client.get(url("assessments", resident)).content.decode()


def test_assessments_page_query_count_does_not_grow(client, employee, resident):
    client.force_login(employee)
    counts = []
    for total in (1, 10):
        while Assessment.objects.filter(resident=resident).count() < total:
            measure(resident, employee, {"financien": 3, "huisvesting": 4}, days_ago=total)
        client.get(url("assessments", resident))  # warm up: the content types and permissions caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("assessments", resident))
        assert len(table(response.content.decode())["Financiën"]) == total
        counts.append(len(queries))
    # 1 session, 1 user, 2 permissions (the user's own and through groups), 1 the resident,
    # 1 the instruments, 1 their domains, 1 the measurements with who took them, 1 their
    # scores, 2 access-log row (the user's roles, the insert), 3 saving the session for the
    # idle timeout (savepoint, update, release).
    assert counts == [9, 9]


def test_volunteers_do_not_see_self_reliance_scores(client, user_for, resident):
    """The ZRM covers mental health, addiction and justice: like health notes, not for volunteers."""
    client.force_login(user_for("Vrijwilliger"))
    assert client.get(reverse("residents:assessments", args=[resident.pk])).status_code == 403
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert reverse("residents:assessments", args=[resident.pk]) not in page


def test_consent_for_the_bsn_needs_a_legal_basis_in_the_service_too(user_for, resident):
    from django.core.exceptions import ValidationError

    from schakelpunt.residents.services import consent_record

    with pytest.raises(ValidationError) as error:
        consent_record(
            acting_user=user_for("Frontoffice"),
            resident=resident,
            purpose="Doorverwijzing",
            scope=["bsn", "question"],
        )
    assert "legal_basis" in error.value.message_dict
