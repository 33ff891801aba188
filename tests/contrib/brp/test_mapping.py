"""A person from the register becomes what the desk needs, or is refused with a clear reason."""

import logging

import pytest

from schakelpunt.contrib.brp.mapping import (
    MalformedPerson,
    PartialDate,
    person_from_api,
    persons_from_response,
)


def person(**overrides):
    data = {
        "burgerservicenummer": "999993653",
        "naam": {"voornamen": "Suzanne", "geslachtsnaam": "Moulin"},
        "geboorte": {"datum": {"type": "Datum", "datum": "1985-12-01", "langFormaat": "1 december 1985"}},
        "verblijfplaats": {
            "type": "Adres",
            "verblijfadres": {
                "korteStraatnaam": "Boterdiep",
                "huisnummer": 31,
                "huisletter": "a",
                "postcode": "3077AW",
                "woonplaats": "Rotterdam",
            },
        },
        "gemeenteVanInschrijving": {"code": "0599", "omschrijving": "Rotterdam"},
    }
    data.update(overrides)
    return data


def test_a_complete_person():
    mapped = person_from_api(person())
    assert mapped.full_name == "Suzanne Moulin"
    assert mapped.address.postcode == "3077 AW" and mapped.address.addition == "a"
    assert not mapped.is_deceased and not mapped.has_emigrated and not mapped.is_secret


def test_partly_unknown_dates():
    year_only = person(geboorte={"datum": {"type": "JaarDatum", "jaar": 1968, "langFormaat": "1968"}})
    birth = person_from_api(year_only).birth_date
    assert birth == PartialDate(1968) and birth.as_date() is None and str(birth.earliest()) == "1968-01-01"
    unknown = person(
        geboorte={"datum": {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}}
    )
    assert person_from_api(unknown).birth_date.is_unknown


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"burgerservicenummer": None}, "burgerservicenummer"),
        ({"burgerservicenummer": "123456789"}, "burgerservicenummer"),
        ({"naam": {"voornamen": "X"}}, "naam.geslachtsnaam"),
        ({"geboorte": {"datum": {"type": "Datum", "datum": "2019-02-30"}}}, "geboorte.datum"),
        ({"overlijden": {"datum": {"type": "Datum", "datum": "05"}}}, "overlijden.datum"),
        ({"opschortingBijhouding": {"reden": {"code": "W"}}}, "opschortingBijhouding.reden.code"),
        ({"gemeenteVanInschrijving": {"code": "GM0599"}}, "gemeenteVanInschrijving.code"),
        ({"verblijfplaats": {"type": "Woonboot"}}, "verblijfplaats.type"),
        ({"geheimhoudingPersoonsgegevens": "ja"}, "geheimhoudingPersoonsgegevens"),
    ],
)
def test_malformed_persons_are_refused_with_the_field(overrides, path):
    with pytest.raises(MalformedPerson) as error:
        person_from_api(person(**overrides))
    assert error.value.path == path
    assert "999993653" not in str(error.value)


def test_one_bad_person_does_not_spoil_the_others_and_is_masked():
    good, bad = person(), person(burgerservicenummer="999990019", overlijden={"datum": {"type": "Raar"}})
    persons, refused = persons_from_response({"personen": [good, bad]})
    assert [p.bsn for p in persons] == ["999993653"]
    assert refused[0][0] == "*****0019"


def test_official_test_person_with_an_impossible_death_date_is_refused(brp, caplog):
    # 999996277 (Christiaansen) has death date "05" in the RvIG test set.
    with caplog.at_level(logging.WARNING):
        persons, refused = persons_from_response(brp.raadpleeg(["999996277"]))
    assert persons == [] and refused[0][1].path == "overlijden.datum"
