"""Questions in the API: the list with its filters and one question."""

import pytest
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import LifeDomain
from tests.api.conftest import LOG_ROW_QUERIES, REFUSED_ROLES, REQUEST_QUERIES, count_queries
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:question-list")
HEALTH_NOTE = "Hartfalen; kortademig bij traplopen"


def detail(question_or_pk) -> str:
    return reverse("api:question-detail", kwargs={"pk": getattr(question_or_pk, "pk", question_or_pk)})


@pytest.fixture
def resident(desk):
    return ResidentFactory(registered_desk=desk)


def question_at(desk, handled_by, *, resident=None, domains=("wonen",), assigned_to=None, **fields):
    contact = ContactFactory(desk=desk, handled_by=handled_by, resident=resident)
    question = QuestionFactory(
        contact=contact, health_notes=HEALTH_NOTE, assigned_to=assigned_to or handled_by, **fields
    )
    question.domains.set(LifeDomain.objects.filter(code__in=domains))
    return question


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- list --------------------------------------------------------------------------------


def test_frontoffice_lists_the_questions_of_their_desk_only(
    api, frontoffice, stranger, desk, other_desk, resident
):
    ours = question_at(desk, frontoffice, resident=resident, domains=["zorg", "wonen"])
    question_at(other_desk, stranger)
    response = api(frontoffice).get(LIST)
    [row] = response.json()["results"]
    assert row["id"] == ours.pk
    assert (row["contact"], row["resident"]) == (ours.contact_id, resident.pk)
    assert row["domains"] == ["wonen", "zorg"]  # in the taxonomy's order
    assert row["health_notes"] == HEALTH_NOTE
    assert row["assigned_to"]["id"] == frontoffice.pk
    assert (row["status"], row["outcome"], row["unmet_reason"]) == ("open", "", "")


def test_list_writes_one_search_row(api, frontoffice, desk, resident):
    question_at(desk, frontoffice, resident=resident)
    question_at(desk, frontoffice, resident=resident)
    api(frontoffice).get(LIST)
    row = AccessLog.objects.get()
    assert (row.action, row.object_type, row.object_id) == ("search", "contacts.question", "")


def test_volunteer_sees_questions_without_health_notes(api, volunteer, frontoffice, desk):
    question_at(desk, frontoffice)
    response = api(volunteer).get(LIST)
    [row] = response.json()["results"]
    assert "health_notes" not in row
    assert HEALTH_NOTE not in response.content.decode()


def test_list_filters(api, frontoffice, user_for, desk, resident):
    colleague = user_for("Frontoffice")
    mine_open = question_at(desk, frontoffice, resident=resident, domains=["wonen"])
    mine_waiting = question_at(desk, frontoffice, domains=["zorg"], status="waiting")
    theirs_closed = question_at(desk, colleague, domains=["zorg"], closed=True)
    theirs_no_supply = question_at(
        desk,
        colleague,
        domains=["wonen"],
        closed=True,
        outcome="no_supply",
        unmet_reason="waiting_list",
    )
    client = api(frontoffice)
    newest_first = [theirs_no_supply.pk, theirs_closed.pk, mine_waiting.pk, mine_open.pk]
    assert ids(client.get(LIST)) == newest_first
    assert ids(client.get(LIST, {"status": "waiting"})) == [mine_waiting.pk]
    assert ids(client.get(LIST, {"outcome": "no_supply"})) == [theirs_no_supply.pk]
    assert ids(client.get(LIST, {"domain": "zorg"})) == [theirs_closed.pk, mine_waiting.pk]
    assert ids(client.get(LIST, {"assigned_to_me": "true"})) == [mine_waiting.pk, mine_open.pk]
    assert ids(client.get(LIST, {"assigned_to_me": "false"})) == newest_first
    assert ids(client.get(LIST, {"open": "true"})) == [mine_waiting.pk, mine_open.pk]
    assert ids(client.get(LIST, {"open": "false"})) == [theirs_no_supply.pk, theirs_closed.pk]
    assert ids(client.get(LIST, {"resident": resident.pk})) == [mine_open.pk]
    assert ids(client.get(LIST, {"domain": "wonen", "open": "false"})) == [theirs_no_supply.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "kwijt"}, "status"),
        ({"outcome": "kwijt"}, "outcome"),
        ({"domain": "ruimtevaart"}, "domain"),
        ({"open": "misschien"}, "open"),
        ({"assigned_to_me": "misschien"}, "assigned_to_me"),
    ],
)
def test_a_bad_filter_is_refused_and_not_logged(api, frontoffice, params, field):
    response = api(frontoffice).get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()
    assert not AccessLog.objects.exists()


def test_frontoffice_of_another_desk_sees_none(api, stranger, frontoffice, desk, resident):
    question_at(desk, frontoffice, resident=resident)
    assert ids(api(stranger).get(LIST)) == []


def test_list_query_count_is_the_same_for_1_and_50_questions(api, frontoffice, desk, resident):
    question_at(desk, frontoffice, resident=resident, domains=["wonen", "zorg"])
    client = api(frontoffice)
    response, one = count_queries(lambda: client.get(LIST, {"open": "true", "domain": "zorg"}))
    assert response.json()["count"] == 1
    for _ in range(49):
        question_at(desk, frontoffice, resident=resident, domains=["wonen", "zorg"])
    response, fifty = count_queries(lambda: client.get(LIST, {"open": "true", "domain": "zorg"}))
    assert len(response.json()["results"]) == 50
    # the domain filter's life domain, count, the page of questions (assignee joined), their
    # life domains: 4.
    assert one == fifty == REQUEST_QUERIES + 4 + LOG_ROW_QUERIES


# --- one question ------------------------------------------------------------------------


def test_frontoffice_reads_a_question_of_a_resident_and_it_is_logged(api, frontoffice, desk, resident):
    question = question_at(desk, frontoffice, resident=resident)
    response = api(frontoffice).get(detail(question))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["health_notes"], body["domains"]) == (question.pk, HEALTH_NOTE, ["wonen"])
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.object_type, row.object_id, row.on_behalf_of) == (
        frontoffice,
        "read",
        "contacts.question",
        str(question.pk),
        f"residents.resident#{resident.pk}",
    )


def test_reading_an_anonymous_question_is_not_logged(api, frontoffice, desk):
    question = question_at(desk, frontoffice)
    assert api(frontoffice).get(detail(question)).status_code == 200
    assert not AccessLog.objects.exists()


def test_volunteer_reads_a_question_without_health_notes(api, volunteer, frontoffice, desk, resident):
    question = question_at(desk, frontoffice, resident=resident)
    response = api(volunteer).get(detail(question))
    assert response.status_code == 200
    assert "health_notes" not in response.json()
    assert HEALTH_NOTE not in response.content.decode()


def test_question_of_another_desk_is_not_found(api, stranger, frontoffice, desk, resident):
    question = question_at(desk, frontoffice, resident=resident)
    response = api(stranger).get(detail(question))
    assert response.status_code == 404
    assert response.json() == api(stranger).get(detail(999999)).json()
    assert not AccessLog.objects.exists()


def test_question_detail_query_count(api, frontoffice, desk, resident):
    question = question_at(desk, frontoffice, resident=resident, domains=["wonen", "zorg", "welzijn"])
    client = api(frontoffice)
    _, queries = count_queries(lambda: client.get(detail(question)))
    # the question (contact, desk, resident and assignee joined), its life domains: 2.
    assert queries == REQUEST_QUERIES + 2 + LOG_ROW_QUERIES


# --- who is refused ----------------------------------------------------------------------


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_roles_without_question_permissions_are_refused(api, user_for, role, frontoffice, desk):
    question = question_at(desk, frontoffice)
    client = api(user_for(role))
    assert client.get(LIST).status_code == 403
    assert client.get(detail(question)).status_code == 403


def test_anonymous_is_refused(api, frontoffice, desk):
    question = question_at(desk, frontoffice)
    assert api().get(LIST).status_code == 403
    assert api().get(detail(question)).status_code == 403
