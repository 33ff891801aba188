"""The resident search of the intake screen: the htmx fragment, the page without JavaScript, the log."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakelpunt.audit.models import AccessLog
from schakelpunt.residents.selectors import SEARCH_LIMIT
from tests.residents.factories import BSNS, ResidentFactory

pytestmark = pytest.mark.django_db

URL = "/inwoners/zoeken/"
HTMX = {"HX-Request": "true", "HX-Target": "search-results"}


@pytest.fixture
def frontoffice(client, user_for):
    user = user_for("Frontoffice")
    client.force_login(user)
    return user


@pytest.fixture
def jansens(desk):
    return [
        ResidentFactory(
            registered_desk=desk, given_names="Johanna", surname="Jansen", bsn=BSNS[0], house_number=12
        ),
        ResidentFactory(
            registered_desk=desk,
            given_names="Pieter",
            surname="Jansma",
            birth_date=datetime.date(1950, 1, 2),
            street="Kerkstraat",
        ),
        ResidentFactory(registered_desk=desk, given_names="Karel", surname="Visser"),
    ]


def search(client, q, htmx=True):
    return client.post(URL, {"q": q}, headers=HTMX if htmx else {})


def test_htmx_search_returns_the_fragment_with_pick_links(client, frontoffice, jansens):
    response = search(client, "jans 12-03-1948")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "Johanna Jansen" in html
    assert "Jansma" not in html and "Visser" not in html  # other birth date, other name
    assert f'hx-get="/intake/?inwoner={jansens[0].pk}"' in html
    assert 'hx-target="#resident-choice"' in html
    assert 'href="/intake/?inwoner=' in html  # a real link too
    assert "Marktstraat 12, 7511 AB Enschede" in html and "12-03-1948" in html
    assert BSNS[0] in html  # a front-office employee may see the BSN
    # The count goes to the status line, which screen readers announce.
    assert '<p id="search-status" hx-swap-oob="innerHTML">1 inwoner gevonden.</p>' in html
    assert "HX-Request" in response["Vary"]
    assert "no-store" in response["Cache-Control"]


def test_a_search_writes_one_log_row_and_no_reads(client, frontoffice, jansens):
    search(client, "jans")
    row = AccessLog.objects.get()
    assert (row.action, row.object_type, row.object_id, row.purpose, row.user) == (
        "search",
        "residents.resident",
        "",
        "intake",
        frontoffice,
    )
    # Two residents were listed; neither counts as read until it is opened.
    assert not AccessLog.objects.filter(action="read").exists()
    # The query is not in the log.
    assert "jans" not in " ".join(str(value) for value in AccessLog.objects.values_list()[0])


def test_search_without_javascript_is_a_page_linking_back_to_the_intake(client, frontoffice, jansens):
    response = search(client, "7511 AB 12", htmx=False)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "Inwoner zoeken" in html
    assert f'<a class="utrecht-link utrecht-link--html-a" href="/intake/?inwoner={jansens[0].pk}"' in html
    assert "hx-get" not in html and "hx-swap-oob" not in html
    assert '<p class="utrecht-paragraph" id="search-status" role="status">1 inwoner gevonden.</p>' in html
    assert AccessLog.objects.filter(action="search").count() == 1


def test_the_empty_search_page(client, frontoffice):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", ""),
        ("j", "Typ ten minste twee letters"),
        ("jansen 31-02-1948", "Deze datum bestaat niet."),
        ("123456789", "Dit is geen geldig BSN"),
        ("x" * 201, "Zorg dat deze waarde niet meer dan 200 tekens bevat"),
    ],
)
def test_no_search_and_no_log_for_what_is_not_a_query(client, frontoffice, jansens, q, message):
    html = search(client, q).content.decode()
    assert f'hx-swap-oob="innerHTML">{message}' in html
    assert "<table" not in html
    assert not AccessLog.objects.exists()


def test_nothing_found(client, frontoffice, jansens):
    html = search(client, "de vries").content.decode()
    assert "Geen inwoners gevonden." in html and "<table" not in html
    assert AccessLog.objects.filter(action="search").count() == 1


def test_at_most_the_limit_is_shown_with_a_hint(client, frontoffice, desk):
    for number in range(SEARCH_LIMIT + 5):
        ResidentFactory(registered_desk=desk, surname=f"Bakker{number:02d}")
    html = search(client, "bakker").content.decode()
    assert html.count("data-search-result") == SEARCH_LIMIT
    assert f"De eerste {SEARCH_LIMIT} inwoners." in html


def test_only_residents_the_user_may_see_are_found(client, frontoffice, jansens):
    stranger = ResidentFactory(given_names="Johanna", surname="Jansen")  # another desk and municipality
    html = search(client, "johanna jansen").content.decode()
    assert f"inwoner={jansens[0].pk}" in html and f"inwoner={stranger.pk}" not in html


def test_frontoffice_finds_by_bsn(client, frontoffice, jansens):
    html = search(client, BSNS[0]).content.decode()
    assert f"inwoner={jansens[0].pk}" in html and BSNS[0] in html


def test_volunteer_finds_nothing_by_bsn_and_sees_no_bsn(client, user_for, jansens):
    client.force_login(user_for("Vrijwilliger"))
    html = search(client, BSNS[0]).content.decode()
    assert "data-search-result" not in html and BSNS[0] not in html
    assert "Zoeken op BSN kan alleen als u het BSN mag zien." in html
    assert AccessLog.objects.filter(action="search").count() == 1  # the attempt is logged

    html = search(client, "jansen").content.decode()
    assert "Johanna Jansen" in html
    assert BSNS[0] not in html and ">BSN<" not in html  # no BSN column at all


@pytest.mark.parametrize("role", ["Partner", "Beleidsmedewerker", "Privacyfunctionaris"])
def test_roles_without_resident_access_are_refused(client, user_for, jansens, role):
    client.force_login(user_for(role))
    assert search(client, "jansen").status_code == 403
    assert client.get(URL).status_code == 403
    assert not AccessLog.objects.filter(action="search").exists()


def test_search_is_not_a_get_with_the_query_in_the_address(client, frontoffice, jansens):
    # A query string is ignored: names and BSNs do not belong in addresses and server logs.
    html = client.get(URL, {"q": "jansen"}, headers=HTMX).content.decode()
    assert "data-search-result" not in html
    assert not AccessLog.objects.exists()


def _queries(client, q) -> int:
    with CaptureQueriesContext(connection) as queries:
        search(client, q)
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_results(client, frontoffice, desk):
    ResidentFactory(registered_desk=desk, surname="Smit00")
    one = _queries(client, "smit")
    for number in range(1, SEARCH_LIMIT):
        ResidentFactory(registered_desk=desk, surname=f"Smit{number:02d}")
    # Session, user, permissions (2), the search (one query), the user's roles and the
    # access-log row, and the session's new expiry (savepoint, update, release) = 10.
    assert _queries(client, "smit") == one == 5
