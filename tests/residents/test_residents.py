import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from schakelpunt.audit.models import AccessLog
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.residents.models import Resident
from schakelpunt.residents.selectors import SEARCH_LIMIT, _visible, parse_query, resident_search
from schakelpunt.residents.services import resident_create, resident_update
from tests.organisations.factories import DeskFactory, DistrictFactory, PostcodeAreaFactory
from tests.residents.factories import BSNS, ResidentFactory

pytestmark = pytest.mark.django_db


def test_create_normalises_and_places_the_resident(desk, user_for):
    district = DistrictFactory(municipality=desk.municipalities.first())
    PostcodeAreaFactory(postcode="7511", district=district)
    resident = resident_create(
        acting_user=user_for("Frontoffice"),
        desk=desk,
        data={"bsn": "9999.93.653", "surname": "Jansen", "postcode": "7511ab", "house_number": 3},
    )
    assert (resident.bsn, resident.postcode, resident.district) == (
        "999993653",
        "7511 AB",
        district,
    )
    assert AccessLog.objects.get().action == "create"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"bsn": "123456789"}, "bsn", "Dit is geen geldig BSN"),
        ({"postcode": "1234 A"}, "postcode", "Vul een postcode in als 1234 AB"),
        ({"birth_date": datetime.date(2999, 1, 1)}, "birth_date", "kan niet in de toekomst"),
    ],
)
def test_bad_resident_data_is_refused_with_a_dutch_message(desk, user_for, data, field, message):
    with pytest.raises(ValidationError) as error:
        resident_create(acting_user=user_for("Frontoffice"), desk=desk, data={"surname": "Jansen", **data})
    assert message in " ".join(error.value.message_dict[field])
    assert not Resident.objects.exists()


def test_bsn_is_unique_among_active_residents(desk):
    ResidentFactory(bsn=BSNS[0], registered_desk=desk)
    ResidentFactory(bsn=BSNS[1], registered_desk=desk, status=Resident.Status.DECEASED)
    ResidentFactory(bsn=BSNS[1], registered_desk=desk)  # the deceased one does not count
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentFactory(bsn=BSNS[0], registered_desk=desk)


def test_concurrent_resident_edit_is_refused(desk, user_for):
    resident = ResidentFactory(registered_desk=desk)
    resident_update(
        acting_user=user_for("Frontoffice"),
        resident=resident,
        expected_version=1,
        data={"phone": "0612345678"},
    )
    with pytest.raises(ConflictError):
        resident_update(
            acting_user=user_for("Frontoffice"),
            resident=resident,
            expected_version=1,
            data={"phone": "0"},
        )
    resident.refresh_from_db()
    assert (resident.phone, resident.version) == ("0612345678", 2)


def test_query_parsing():
    assert parse_query("Jansen 12/3/1948").birth_date == datetime.date(1948, 3, 12)
    query = parse_query("jan 12-03-1948")
    assert query.names == ("jan",) and query.birth_date == datetime.date(1948, 3, 12)
    query = parse_query("7511 ab 12")
    assert (query.postcode, query.house_number) == ("7511 AB", 12)
    assert parse_query("999993653").bsn == "999993653"
    assert parse_query("31-02-1950").invalid_date


def test_search_by_name_birth_date_postcode_and_bsn(desk, user_for):
    employee = user_for("Frontoffice")
    target = ResidentFactory(
        registered_desk=desk,
        surname="Bosman",
        given_names="Hendrika",
        birth_date=datetime.date(1940, 5, 1),
        postcode="7514 AD",
        house_number=51,
        bsn=BSNS[2],
    )
    ResidentFactory(registered_desk=desk, surname="Bos", birth_date=datetime.date(1950, 1, 1))
    assert resident_search(viewer=employee, query=parse_query("bosm")) == [target]
    assert resident_search(viewer=employee, query=parse_query("bos 01-05-1940")) == [target]
    assert resident_search(viewer=employee, query=parse_query("7514AD 51")) == [target]
    assert resident_search(viewer=employee, query=parse_query(BSNS[2])) == [target]


def test_search_shows_only_residents_of_your_desks_and_no_bsn_search_for_volunteers(desk, user_for):
    ResidentFactory(registered_desk=DeskFactory(), surname="Elders")
    mine = ResidentFactory(registered_desk=desk, surname="Eldering", bsn=BSNS[3])
    assert resident_search(viewer=user_for("Frontoffice"), query=parse_query("elder")) == [mine]
    volunteer = user_for("Vrijwilliger")
    assert resident_search(viewer=volunteer, query=parse_query("elder")) == [mine]
    assert resident_search(viewer=volunteer, query=parse_query(BSNS[3])) == []
    assert resident_search(viewer=user_for("Partner"), query=parse_query("elder")) == []


def _matches(resident, name: str) -> bool:
    """The four ways of the search, in Python: surname, given names, later word, prefix."""
    name = name.upper()
    return (
        resident.surname.upper().startswith(name)
        or resident.given_names.upper().startswith(name)
        or f" {name}" in resident.surname.upper()
        or resident.surname_prefix.upper() == name
    )


def _name_order(resident):
    return (resident.surname.upper(), resident.given_names.upper(), resident.birth_date, resident.pk)


def test_search_gives_the_first_page_in_name_order_over_all_four_ways(desk, user_for):
    """Each way of matching contributes its own first page; the page is the first of them all.

    More than a page matches through the surname alone, and given names, a later word of the
    surname and the prefix each bring residents who sort before, between or after those.
    """
    employee = user_for("Frontoffice")
    born = datetime.date(1950, 1, 1)
    people = [("Anna", "", f"Terhorst{n:02d}") for n in range(SEARCH_LIMIT + 3)]  # the surname
    people += [("Terry", "", "Aalders"), ("Tera Maria", "", "Bos"), ("Terry", "", "Zuidema")]  # given names
    people += [("Piet", "", "Bosch ter Beek"), ("Kees", "", "Aa ter Veen")]  # a later word
    people += [("Jan", "ter", "Aarle"), ("Jan", "ter", "Mors"), ("Joop", "Ter", "Terhorst00")]  # prefix
    people += [("Jan", "", "Aaster"), ("Terry", "", "Aal")]  # no match ("Aal" is another desk's)
    residents = [
        ResidentFactory(registered_desk=desk, given_names=given, surname_prefix=prefix, surname=surname,
                        birth_date=born + datetime.timedelta(days=number % 3))
        for number, (given, prefix, surname) in enumerate(people)
    ]  # fmt: skip
    residents[-1].registered_desk = DeskFactory()
    residents[-1].municipality = residents[-1].registered_desk.municipalities.first()
    residents[-1].save()
    # Equal names: the birth date, then the id decide.
    ResidentFactory(registered_desk=desk, given_names="Terry", surname="Aalders", birth_date=born)

    for text in ["ter", "Ter", "terry", "te"]:
        found = resident_search(viewer=employee, query=parse_query(text))
        visible = Resident.objects.visible_to(employee)
        expected = sorted((r for r in visible if _matches(r, text)), key=_name_order)[:SEARCH_LIMIT]
        assert [r.pk for r in found] == [r.pk for r in expected], text
    assert len(resident_search(viewer=employee, query=parse_query("ter"))) == SEARCH_LIMIT


def test_search_with_several_names_matches_each_of_them(desk, user_for):
    employee = user_for("Frontoffice")
    wanted = [
        ResidentFactory(registered_desk=desk, given_names="Johanna Maria", surname="Nijhuis"),
        ResidentFactory(registered_desk=desk, given_names="Johan", surname_prefix="van", surname="Nijhuis"),
        ResidentFactory(registered_desk=desk, given_names="Berend", surname="Johannink Nijhuis"),
    ]
    ResidentFactory(registered_desk=desk, given_names="Gerrit", surname="Nijhuis")
    ResidentFactory(registered_desk=desk, given_names="Johanna", surname="Jansen")
    found = resident_search(viewer=employee, query=parse_query("joh nijhuis"))
    assert found == sorted(wanted, key=_name_order)
    assert resident_search(viewer=employee, query=parse_query("nijhuis joh")) == found  # any order
    assert resident_search(viewer=employee, query=parse_query("van nijhuis")) == [wanted[1]]


def test_search_visibility_is_the_rule_of_visible_to(desk, user_for):
    """The search states visibility on the resident's own columns; it must stay the model's rule."""
    other = DeskFactory()
    shared = DeskFactory(municipalities=[desk.municipalities.first(), other.municipalities.first()])
    ResidentFactory(registered_desk=desk)
    ResidentFactory(registered_desk=other)
    ResidentFactory(registered_desk=shared)
    ResidentFactory(registered_desk=other, municipality=desk.municipalities.first())  # lives in ours
    ResidentFactory(registered_desk=desk, municipality=other.municipalities.first())  # registered here
    ResidentFactory(registered_desk=other, municipality=None)
    ResidentFactory(registered_desk=DeskFactory())
    users = [
        user_for("Frontoffice"),
        user_for("Frontoffice", desks=[other]),
        user_for("Frontoffice", desks=[desk, shared]),
        user_for("Frontoffice", desks=[]),
        user_for("Vrijwilliger"),
    ]
    for user in users:
        expected = set(Resident.objects.visible_to(user))
        assert set(Resident.objects.filter(_visible(user))) == expected
        assert set(resident_search(viewer=user, query=parse_query("jansen"))) == expected
    assert resident_search(viewer=user_for("Partner"), query=parse_query("jansen")) == []
