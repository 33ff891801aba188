"""Residents in the API: search by POST, one resident, hidden fields and the access log."""

import pytest
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from tests.api.conftest import LOG_ROW_QUERIES, REFUSED_ROLES, REQUEST_QUERIES, count_queries
from tests.organisations.factories import DistrictFactory
from tests.residents.factories import BSNS, ResidentFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("api:resident-search")
ADDRESS_KEYS = {"street", "house_number", "house_number_addition", "postcode", "town"}


def detail(resident_or_pk) -> str:
    return reverse("api:resident-detail", kwargs={"pk": getattr(resident_or_pk, "pk", resident_or_pk)})


@pytest.fixture
def resident(desk):
    return ResidentFactory(
        registered_desk=desk,
        bsn=BSNS[0],
        given_names="Hendrika",
        surname="Brinkhuis",
        district=DistrictFactory(municipality=desk.municipalities.first()),
    )


@pytest.fixture
def foreign_resident(other_desk):
    return ResidentFactory(registered_desk=other_desk, bsn=BSNS[1], surname="Brinkhuis")


def search(client, q):
    return client.post(SEARCH, {"q": q}, format="json")


# --- search ----------------------------------------------------------------------------


def test_frontoffice_finds_residents_of_their_desk_only(api, frontoffice, resident, foreign_resident):
    response = search(api(frontoffice), "brinkhuis")
    assert response.status_code == 200
    hits = response.json()["results"]
    assert [hit["id"] for hit in hits] == [resident.pk]
    assert hits[0]["bsn"] == BSNS[0]
    assert hits[0]["full_name"] == "Hendrika Brinkhuis"
    assert hits[0]["postcode"] == "7511 AB"


def test_search_writes_one_search_row_without_the_query(api, frontoffice, resident):
    ResidentFactory(registered_desk=resident.registered_desk, surname="Brinkhuis-Smit")
    response = search(api(frontoffice), f"brinkhuis {BSNS[0]}")
    assert response.status_code == 200
    row = AccessLog.objects.get()  # one row for the search, none for the hits
    assert (row.user, row.action, row.object_type, row.object_id) == (
        frontoffice,
        "search",
        "residents.resident",
        "",
    )
    logged = " ".join(str(value) for value in AccessLog.objects.values_list().get())
    assert BSNS[0] not in logged
    assert "brinkhuis" not in logged.lower()


def test_search_by_bsn(api, frontoffice, resident):
    response = search(api(frontoffice), BSNS[0])
    assert [hit["id"] for hit in response.json()["results"]] == [resident.pk]


def test_volunteer_sees_no_bsn_and_cannot_search_by_one(api, volunteer, resident):
    client = api(volunteer)
    by_name = search(client, "brinkhuis").json()["results"]
    assert [hit["id"] for hit in by_name] == [resident.pk]
    assert "bsn" not in by_name[0]
    assert BSNS[0] not in search(client, "brinkhuis").content.decode()
    # A BSN gives the same answer as a BSN that does not exist: nothing.
    assert search(client, BSNS[0]).json() == {"results": []}


def test_frontoffice_of_another_desk_finds_nothing(api, stranger, resident):
    assert search(api(stranger), "brinkhuis").json() == {"results": []}


@pytest.mark.parametrize(
    ("q", "message"),
    [("", "Dit veld mag niet leeg zijn"), ("x", "Vul een naam"), ("31-02-1950", "bestaat niet")],
)
def test_an_empty_or_unreadable_query_is_refused_and_not_logged(api, frontoffice, q, message):
    response = search(api(frontoffice), q)
    assert response.status_code == 400
    assert message in " ".join(response.json()["q"])
    assert not AccessLog.objects.exists()


def test_a_long_query_is_refused(api, frontoffice):
    response = search(api(frontoffice), "a" * 201)
    assert response.status_code == 400
    assert "q" in response.json()


def test_search_is_not_available_by_get(api, frontoffice, resident):
    """A query in the URL (and so in logs and history) is not accepted at all."""
    response = api(frontoffice).get(SEARCH, {"q": BSNS[0]})
    assert response.status_code == 405
    assert not AccessLog.objects.exists()


def test_search_takes_json_only(api, frontoffice, resident):
    response = api(frontoffice).post(SEARCH, {"q": "brinkhuis"})  # multipart form
    assert response.status_code == 415


def test_search_needs_the_csrf_token_with_a_session(api, frontoffice, resident):
    client = api(frontoffice, enforce_csrf_checks=True)
    response = search(client, "brinkhuis")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_search_query_count_does_not_grow_with_the_hits(api, frontoffice, desk):
    """Hits come with their municipality in one query; the count is the same for 1 and 20."""
    ResidentFactory(registered_desk=desk, surname="Veenstra")
    client = api(frontoffice)
    _, one = count_queries(lambda: search(client, "veenstra"))
    ResidentFactory.create_batch(25, registered_desk=desk, surname="Veenstra")
    response, many = count_queries(lambda: search(client, "veenstra"))
    assert len(response.json()["results"]) == 20
    # The residents, with municipality and district joined: one query.
    assert one == many == REQUEST_QUERIES + 1 + LOG_ROW_QUERIES


# --- one resident ----------------------------------------------------------------------


def test_frontoffice_reads_a_resident_and_the_read_is_logged(api, frontoffice, resident):
    response = api(frontoffice).get(detail(resident))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == resident.pk
    assert body["bsn"] == BSNS[0]
    assert body["municipality"]["code"] == resident.municipality.code
    assert body["district"]["code"] == resident.district.code
    assert body["registered_desk"] == resident.registered_desk_id
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.object_type, row.object_id, row.purpose) == (
        frontoffice,
        "read",
        "residents.resident",
        str(resident.pk),
        "intake",
    )


def test_volunteer_reads_a_resident_without_bsn(api, volunteer, resident):
    response = api(volunteer).get(detail(resident))
    assert response.status_code == 200
    assert "bsn" not in response.json()
    assert BSNS[0] not in response.content.decode()


def test_resident_without_bsn_shows_an_empty_bsn_only_to_who_may_see_it(api, frontoffice, volunteer, desk):
    resident = ResidentFactory(registered_desk=desk)
    assert api(frontoffice).get(detail(resident)).json()["bsn"] == ""
    assert "bsn" not in api(volunteer).get(detail(resident)).json()


def test_secret_address_only_for_who_may_see_it(api, frontoffice, volunteer, resident):
    resident.is_secret = True
    resident.save()
    allowed = api(frontoffice).get(detail(resident)).json()
    assert allowed["is_secret"] is True
    assert set(allowed) >= ADDRESS_KEYS | {"district"}
    client = api(volunteer)
    response = client.get(detail(resident))
    body = response.json()
    assert body["is_secret"] is True
    assert not (ADDRESS_KEYS | {"district"}) & set(body)
    assert "Marktstraat" not in response.content.decode()
    hit = search(client, "brinkhuis").json()["results"][0]
    assert not ADDRESS_KEYS & set(hit)


def test_address_of_a_resident_without_secrecy_is_shown_to_volunteers(api, volunteer, resident):
    assert set(api(volunteer).get(detail(resident)).json()) >= ADDRESS_KEYS


def test_resident_of_another_desk_is_not_found_and_not_logged(api, stranger, resident):
    response = api(stranger).get(detail(resident))
    assert response.status_code == 404
    assert response.json() == api(stranger).get(detail(999999)).json()
    assert not AccessLog.objects.exists()


def test_resident_detail_query_count(api, frontoffice, resident):
    client = api(frontoffice)
    _, queries = count_queries(lambda: client.get(detail(resident)))
    # The resident, with municipality, district and desk joined: one query.
    assert queries == REQUEST_QUERIES + 1 + LOG_ROW_QUERIES


# --- who is refused ----------------------------------------------------------------------


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_roles_without_resident_permissions_are_refused(api, user_for, role, resident):
    client = api(user_for(role))
    assert search(client, "brinkhuis").status_code == 403
    assert client.get(detail(resident)).status_code == 403
    assert not AccessLog.objects.filter(action__in=["read", "search"], result="success").exists()


def test_anonymous_is_refused(api, resident):
    client = api()
    assert search(client, "brinkhuis").status_code == 403
    assert client.get(detail(resident)).status_code == 403
