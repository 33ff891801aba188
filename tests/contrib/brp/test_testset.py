"""The RvIG test set is read completely and correctly, history rows included."""

from schakelpunt.contrib.brp.testset import api_date, api_person, default_testset, read_testset


def by_bsn():
    return {person.bsn: person for person in default_testset() if person.bsn}


def test_every_person_list_is_read():
    persons = read_testset()
    assert len(persons) == 687
    assert sum(1 for person in persons if person.bsn) == 685
    assert sum(person.history_rows for person in persons) > 1000  # categories 51, 58, ... skipped


def test_current_address_is_the_first_occurrence_not_the_history():
    suzanne = by_bsn()["999993653"]
    # Boterdiep (2015) is current; Vredesplein (2013) is in the history row (58) below it.
    assert suzanne.element("08.11.10") == "Boterdiep"
    assert suzanne.element("08.10.30") == "20150808"


def test_partly_unknown_dates_become_the_right_kind_of_datum():
    assert api_date("19680000") == {"type": "JaarDatum", "jaar": 1968, "langFormaat": "1968"}
    assert api_date("19780300")["type"] == "JaarMaandDatum"
    assert api_date("00000000")["type"] == "DatumOnbekend"
    assert api_date("20180526")["datum"] == "2018-05-26"
    assert api_date("05") == {"type": "Datum", "datum": "05", "langFormaat": "05"}  # passed on: refused later


def test_deceased_emigrated_and_secret_persons_in_api_shape():
    persons = by_bsn()
    buidel = api_person(persons["999990147"])
    assert buidel["overlijden"]["datum"]["datum"] == "2018-05-26"
    assert buidel["opschortingBijhouding"]["reden"]["code"] == "O"
    emigrated = api_person(persons["999993422"])
    assert emigrated["verblijfplaats"]["type"] == "VerblijfplaatsBuitenland"
    assert emigrated["opschortingBijhouding"]["reden"]["code"] == "E"
    assert api_person(persons["999993872"])["geheimhoudingPersoonsgegevens"] is True
