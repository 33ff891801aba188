"""The client against the in-process simulator for every request type, and against recorded errors."""

import datetime
import logging

import pytest
import requests
import responses

from schakelpunt.contrib.brp.client import (
    PERSON_FIELDS,
    BrpBadRequest,
    BrpClient,
    BrpInvalidResponse,
    BrpNotFound,
    BrpUnauthorized,
    BrpUnavailable,
)
from schakelpunt.contrib.brp.mapping import persons_from_response
from schakelpunt.contrib.brp.simulator import start_simulator

# --- against the simulator ---------------------------------------------------------------------


def test_raadpleeg_met_burgerservicenummer(brp):
    answer = brp.raadpleeg(["999993653", "999990147"])
    assert answer["type"] == "RaadpleegMetBurgerservicenummer"
    persons, refused = persons_from_response(answer)
    assert refused == []
    suzanne, margriet = persons
    assert (suzanne.surname, suzanne.address.street, suzanne.municipality_code) == (
        "Moulin",
        "Boterdiep",
        "0599",
    )
    assert margriet.is_deceased and str(margriet.deceased_on) == "26-05-2018"


def test_only_the_fields_asked_for_come_back(brp):
    person = brp.raadpleeg(["999993653"], fields=["naam.geslachtsnaam"])["personen"][0]
    assert person == {"naam": {"geslachtsnaam": "Moulin"}}


def test_fields_that_are_delivered_automatically_may_not_be_asked(brp):
    with pytest.raises(BrpBadRequest) as error:
        brp.raadpleeg(["999993653"], fields=[*PERSON_FIELDS, "geheimhoudingPersoonsgegevens"])
    assert error.value.invalid_params == ["fields[8]"]


def test_zoek_met_geslachtsnaam_en_geboortedatum(brp):
    answer = brp.zoek_geslachtsnaam_geboortedatum(
        geslachtsnaam="moulin", geboortedatum=datetime.date(1985, 12, 1)
    )
    persons, _ = persons_from_response(answer)
    assert [p.bsn for p in persons] == ["999993653"]
    assert answer["personen"][0]["adressering"]["adresregel1"] == "Boterdiep 31"


def test_zoek_met_postcode_en_huisnummer(brp):
    persons, _ = persons_from_response(brp.zoek_postcode_huisnummer(postcode="3077 aw", huisnummer=31))
    assert "999993653" in [p.bsn for p in persons]


def test_deceased_persons_only_when_asked(brp):
    found = brp.zoek_geslachtsnaam_geboortedatum(
        geslachtsnaam="Buidel", geboortedatum=datetime.date(1948, 1, 17), inclusief_overleden=False
    )
    assert found["personen"] == []


def test_follow_indications_and_changes(brp, simulator):
    started = brp.volg("999993653")
    assert started.bsn == "999993653" and started.end is None
    assert [f.bsn for f in brp.volgindicaties()] == ["999993653"]
    simulator.state.apply({"soort": "overlijden", "bsn": "999993653", "datum": "2026-01-02"})
    simulator.state.apply({"soort": "overlijden", "bsn": "999990019", "datum": "2026-01-02"})  # not followed
    assert brp.wijzigingen(vanaf=datetime.date(2026, 1, 1)) == ["999993653"]
    assert brp.wijzigingen(vanaf=datetime.date(2026, 1, 3)) == []
    ended = brp.beeindig_volg("999993653")
    assert ended.end == datetime.date.today()
    assert brp.volgindicaties() == []


def test_api_key_is_sent_and_checked(settings):
    server = start_simulator(api_key="geheim")
    try:
        client = BrpClient(personen_url=server.personen_url, update_url=server.update_url, api_key="geheim")
        assert client.raadpleeg(["999993653"])["personen"]
        wrong = BrpClient(personen_url=server.personen_url, update_url=server.update_url, api_key="fout")
        with pytest.raises(BrpUnauthorized):
            wrong.raadpleeg(["999993653"])
    finally:
        server.shutdown()
        server.server_close()


# --- against recorded error answers ------------------------------------------------------------

URL = "https://brp.example.invalid/haalcentraal/api/brp"
UPDATE = "https://brp.example.invalid/haalcentraal/api/brpupdate"


def problem(status, code, title, **extra):
    return {
        "type": "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html",
        "title": title,
        "status": status,
        "instance": "/haalcentraal/api/brp/personen",
        "code": code,
        **extra,
    }


@pytest.fixture
def recorded():
    with responses.RequestsMock() as mock:
        yield mock


def client(retries=0):
    return BrpClient(personen_url=URL, update_url=UPDATE, api_key="k", retries=retries, backoff=0, timeout=1)


def test_400_is_a_bad_request_with_the_parameters(recorded):
    body = problem(
        400,
        "paramsValidation",
        "Een of meerdere parameters zijn niet correct.",
        invalidParams=[{"name": "huisnummer", "code": "integer", "reason": "Waarde is geen geldig getal."}],
    )
    recorded.post(f"{URL}/personen", json=body, status=400, content_type="application/problem+json")
    with pytest.raises(BrpBadRequest) as error:
        client().zoek_postcode_huisnummer(postcode="3077AW", huisnummer=31)
    assert error.value.invalid_params == ["huisnummer"]
    assert "Controleer" in str(error.value.user_message)


def test_401_is_unauthorized_and_the_key_was_sent(recorded):
    recorded.post(
        f"{URL}/personen", json=problem(401, "authentication", "Niet correct geauthenticeerd."), status=401
    )
    with pytest.raises(BrpUnauthorized):
        client().raadpleeg(["999993653"])
    assert recorded.calls[0].request.headers["X-API-KEY"] == "k"


def test_404_is_not_found(recorded):
    recorded.get(
        f"{UPDATE}/volgindicaties/999993653", json=problem(404, "notFound", "Niet gevonden"), status=404
    )
    with pytest.raises(BrpNotFound):
        client()._request("GET", f"{UPDATE}/volgindicaties/999993653", operation="volgindicatie")


def test_500_is_retried_then_unavailable(recorded):
    recorded.post(f"{URL}/personen", json=problem(500, "serverError", "Interne server fout."), status=500)
    with pytest.raises(BrpUnavailable) as error:
        client(retries=2).raadpleeg(["999993653"])
    assert len(recorded.calls) == 3  # the first attempt and two retries
    assert "niet bereikbaar" in str(error.value.user_message)


def test_a_500_then_success_is_fine(recorded):
    recorded.post(
        f"{URL}/personen",
        json=problem(503, "notAvailable", "Bronservice BRP is tijdelijk niet beschikbaar."),
        status=503,
    )
    recorded.post(f"{URL}/personen", json={"type": "RaadpleegMetBurgerservicenummer", "personen": []})
    assert client(retries=1).raadpleeg(["999993653"])["personen"] == []


def test_timeout_is_unavailable_and_logged_without_bsn(recorded, caplog):
    recorded.post(f"{URL}/personen", body=requests.ConnectTimeout("timed out"))
    with caplog.at_level(logging.WARNING), pytest.raises(BrpUnavailable):
        client().raadpleeg(["999993653"])
    assert "999993653" not in caplog.text


def test_unreachable_register_is_unavailable():
    dead = BrpClient(
        personen_url="http://127.0.0.1:9/x", update_url="http://127.0.0.1:9/y", retries=0, timeout=1
    )
    with pytest.raises(BrpUnavailable):
        dead.raadpleeg(["999993653"])


def test_an_answer_that_is_not_json_is_refused(recorded):
    recorded.get(f"{UPDATE}/wijzigingen", body="<html>proxy error</html>", status=200)
    with pytest.raises(BrpInvalidResponse):
        client().wijzigingen(vanaf=datetime.date(2026, 1, 1))


def test_wijzigingen_sends_vanaf(recorded):
    recorded.get(f"{UPDATE}/wijzigingen", json={"burgerservicenummers": ["999993653"]})
    assert client().wijzigingen(vanaf=datetime.date(2026, 1, 1)) == ["999993653"]
    assert "vanaf=2026-01-01" in recorded.calls[0].request.url
