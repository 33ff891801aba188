"""Contact moments in the API: list with filters, one contact, and registering one."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Contact, LifeDomain, Question
from tests.accounts.factories import UserFactory
from tests.api.conftest import LOG_ROW_QUERIES, REFUSED_ROLES, REQUEST_QUERIES, count_queries
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import LocationFactory
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:contact-list")
HEALTH_NOTE = "Suikerziekte, insuline sinds 2019"


def detail(contact_or_pk) -> str:
    return reverse("api:contact-detail", kwargs={"pk": getattr(contact_or_pk, "pk", contact_or_pk)})


def at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def resident(desk):
    return ResidentFactory(registered_desk=desk)


def contact_with_questions(desk, handled_by, *, resident=None, questions=2, **fields):
    contact = ContactFactory(desk=desk, handled_by=handled_by, resident=resident, **fields)
    for _ in range(questions):
        question = QuestionFactory(contact=contact, health_notes=HEALTH_NOTE)
        question.domains.set(LifeDomain.objects.filter(code__in=["wonen", "zorg"]))
    return contact


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- list --------------------------------------------------------------------------------


def test_frontoffice_lists_the_contacts_of_their_desk_only(
    api, frontoffice, stranger, desk, other_desk, resident
):
    ours = contact_with_questions(desk, frontoffice, resident=resident)
    contact_with_questions(other_desk, stranger)
    response = api(frontoffice).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == ours.pk
    assert row["resident"] == resident.pk
    assert row["handled_by"] == {"id": frontoffice.pk, "name": frontoffice.get_full_name()}
    assert [question["domains"] for question in row["questions"]] == [["wonen", "zorg"]] * 2
    assert {question["health_notes"] for question in row["questions"]} == {HEALTH_NOTE}


def test_list_writes_one_search_row(api, frontoffice, desk, resident):
    contact_with_questions(desk, frontoffice, resident=resident)
    contact_with_questions(desk, frontoffice)
    api(frontoffice).get(LIST)
    row = AccessLog.objects.get()
    assert (row.action, row.object_type, row.object_id, row.on_behalf_of) == (
        "search",
        "contacts.contact",
        "",
        "",
    )


def test_list_filtered_on_a_resident_is_logged_on_their_behalf(api, frontoffice, desk, resident):
    contact_with_questions(desk, frontoffice, resident=resident)
    contact_with_questions(desk, frontoffice)
    response = api(frontoffice).get(LIST, {"resident": resident.pk})
    assert response.json()["count"] == 1
    assert AccessLog.objects.get().on_behalf_of == f"residents.resident#{resident.pk}"


def test_volunteer_sees_the_list_without_health_notes(api, volunteer, frontoffice, desk):
    contact_with_questions(desk, frontoffice)
    response = api(volunteer).get(LIST)
    questions = response.json()["results"][0]["questions"]
    assert len(questions) == 2
    assert all("health_notes" not in question for question in questions)
    assert HEALTH_NOTE not in response.content.decode()


def test_list_filters_on_channel_and_dates(api, frontoffice, desk):
    phone_1 = contact_with_questions(desk, frontoffice, channel="phone", started_at=at(1))
    desk_2 = contact_with_questions(desk, frontoffice, channel="desk", started_at=at(2, 23))
    phone_3 = contact_with_questions(desk, frontoffice, channel="phone", started_at=at(3, 0))
    client = api(frontoffice)
    assert ids(client.get(LIST)) == [phone_3.pk, desk_2.pk, phone_1.pk]
    assert ids(client.get(LIST, {"channel": "phone"})) == [phone_3.pk, phone_1.pk]
    # Dates are days in local time, both ends included.
    assert ids(client.get(LIST, {"started_from": "2026-03-02"})) == [phone_3.pk, desk_2.pk]
    assert ids(client.get(LIST, {"started_until": "2026-03-02"})) == [desk_2.pk, phone_1.pk]
    both = {"started_from": "2026-03-02", "started_until": "2026-03-02"}
    assert ids(client.get(LIST, both)) == [desk_2.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"started_from": "gisteren"}, "started_from"),
        ({"started_from": "2026-03-02", "started_until": "2026-03-01"}, "started_until"),
        ({"resident": "abc"}, "resident"),
    ],
)
def test_a_bad_filter_is_refused_and_not_logged(api, frontoffice, params, field):
    response = api(frontoffice).get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()
    assert not AccessLog.objects.exists()


def test_frontoffice_of_another_desk_sees_none(api, stranger, frontoffice, desk, resident):
    contact_with_questions(desk, frontoffice, resident=resident)
    client = api(stranger)
    assert client.get(LIST).json()["count"] == 0
    assert client.get(LIST, {"resident": resident.pk}).json()["count"] == 0


def test_list_query_count_is_the_same_for_1_and_50_contacts(api, frontoffice, desk, resident):
    contact_with_questions(desk, frontoffice, resident=resident)
    client = api(frontoffice)
    response, one = count_queries(lambda: client.get(LIST))
    assert response.json()["count"] == 1
    for _ in range(49):
        contact_with_questions(desk, frontoffice, resident=resident)
    response, fifty = count_queries(lambda: client.get(LIST))
    assert len(response.json()["results"]) == 50
    # count, the page of contacts (handler joined), their questions (assignee joined), the
    # questions' life domains: 4.
    assert one == fifty == REQUEST_QUERIES + 4 + LOG_ROW_QUERIES


# --- one contact -------------------------------------------------------------------------


def test_frontoffice_reads_a_contact_of_a_resident_and_it_is_logged(api, frontoffice, desk, resident):
    contact = contact_with_questions(desk, frontoffice, resident=resident)
    response = api(frontoffice).get(detail(contact))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == contact.pk
    assert len(body["questions"]) == 2
    row = AccessLog.objects.get()
    assert (row.action, row.object_type, row.object_id, row.on_behalf_of) == (
        "read",
        "contacts.contact",
        str(contact.pk),
        f"residents.resident#{resident.pk}",
    )


def test_reading_an_anonymous_contact_is_not_logged(api, frontoffice, desk):
    contact = contact_with_questions(desk, frontoffice)
    assert api(frontoffice).get(detail(contact)).status_code == 200
    assert not AccessLog.objects.exists()


def test_volunteer_reads_a_contact_without_health_notes(api, volunteer, frontoffice, desk):
    contact = contact_with_questions(desk, frontoffice)
    response = api(volunteer).get(detail(contact))
    assert response.status_code == 200
    assert all("health_notes" not in question for question in response.json()["questions"])


def test_contact_of_another_desk_is_not_found(api, stranger, frontoffice, desk, resident):
    contact = contact_with_questions(desk, frontoffice, resident=resident)
    response = api(stranger).get(detail(contact))
    assert response.status_code == 404
    assert response.json() == api(stranger).get(detail(999999)).json()
    assert not AccessLog.objects.exists()


def test_contact_detail_query_count(api, frontoffice, desk, resident):
    contact = contact_with_questions(desk, frontoffice, resident=resident, questions=5)
    client = api(frontoffice)
    _, queries = count_queries(lambda: client.get(detail(contact)))
    # the contact (handler joined), its questions (assignee joined), their domains: 3.
    assert queries == REQUEST_QUERIES + 3 + LOG_ROW_QUERIES


# --- register ----------------------------------------------------------------------------


def payload(desk, **overrides):
    return {
        "desk": desk.pk,
        "channel": "desk",
        "started_at": "2026-03-02T10:15:00+01:00",
        "duration_minutes": 20,
        "questions": [
            {
                "question_text": "Mijn moeder kan niet meer alleen douchen.",
                "clarification": "Zoekt hulp bij persoonlijke verzorging.",
                "health_notes": HEALTH_NOTE,
                "domains": ["zorg", "mantelzorg"],
                "urgency": "soon",
            },
            {
                "question_text": "Waar vind ik een rollator?",
                "domains": ["wonen"],
                "status": "closed",
                "outcome": "information",
                "answer": "Bij de uitleenwinkel.",
                "minutes_spent": 5,
            },
        ],
        **overrides,
    }


def post(client, data):
    return client.post(LIST, data, format="json")


def test_frontoffice_registers_a_contact_with_questions(api, frontoffice, desk, resident):
    location = LocationFactory(desk=desk)
    response = post(api(frontoffice), payload(desk, resident=resident.pk, location=location.pk))
    assert response.status_code == 201, response.json()
    contact = Contact.objects.get()
    body = response.json()
    assert body["id"] == contact.pk
    assert (contact.desk, contact.location, contact.resident, contact.handled_by) == (
        desk,
        location,
        resident,
        frontoffice,
    )
    assert (contact.channel, contact.duration_minutes) == ("desk", 20)
    first, second = contact.questions.order_by("pk")
    assert sorted(first.domains.values_list("code", flat=True)) == ["mantelzorg", "zorg"]
    assert (first.health_notes, first.urgency, first.status) == (HEALTH_NOTE, "soon", "open")
    assert (second.status, second.outcome, second.closed_at is not None) == ("closed", "information", True)
    assert second.resident == resident
    assert [question["id"] for question in body["questions"]] == [first.pk, second.pk]
    assert body["questions"][0]["health_notes"] == HEALTH_NOTE
    # The service wrote the log row: a contact created on the resident's behalf.
    row = AccessLog.objects.get()
    assert (row.action, row.object_type, row.object_id, row.on_behalf_of) == (
        "create",
        "contacts.contact",
        str(contact.pk),
        f"residents.resident#{resident.pk}",
    )


def test_an_anonymous_question_is_registered(api, volunteer, desk):
    data = payload(desk)
    del data["questions"][0]["health_notes"]
    response = post(api(volunteer), data)
    assert response.status_code == 201, response.json()
    contact = Contact.objects.get()
    assert (contact.resident, contact.asked_by) == (None, "anonymous")
    assert all("health_notes" not in question for question in response.json()["questions"])
    assert not AccessLog.objects.exists()  # no resident, no personal data to log


def big_text():
    return "Lang verhaal. " * 7500  # about 100 kB


@pytest.mark.parametrize(
    ("change", "path"),
    [
        # The service refuses a closed question without outcome, under the field's name.
        (lambda data: data["questions"][0].update(status="closed"), ["outcome"]),
        (lambda data: data["questions"][0].update(outcome="no_supply"), ["unmet_reason"]),
        (
            lambda data: data["questions"][1].update(question_text=big_text()),
            ["questions", "1", "question_text"],
        ),
        (
            lambda data: data["questions"][0].update(domains=["zorg", "ruimtevaart"]),
            ["questions", "0", "domains"],
        ),
        (lambda data: data["questions"][0].update(urgency="gisteren"), ["questions", "0", "urgency"]),
        (lambda data: data["questions"][0].pop("question_text"), ["questions", "0", "question_text"]),
        (lambda data: data["questions"][1].update(minutes_spent=-5), ["questions", "1", "minutes_spent"]),
        (lambda data: data.update(questions=[]), ["questions"]),
        (lambda data: data.update(channel="postduif"), ["channel"]),
        (lambda data: data.update(started_at="morgen"), ["started_at"]),
        (lambda data: data.update(duration_minutes=100000), ["duration_minutes"]),
        (lambda data: data.pop("desk"), ["desk"]),
        (lambda data: data.update(resident=999999), ["resident"]),
    ],
)
def test_bad_input_is_refused_with_field_errors_and_changes_nothing(api, frontoffice, desk, change, path):
    data = payload(desk)
    change(data)
    response = post(api(frontoffice), data)
    assert response.status_code == 400
    errors = response.json()
    for key in path:
        errors = errors[key]
    assert errors
    assert not Contact.objects.exists()
    assert not Question.objects.exists()
    assert not AccessLog.objects.exists()


def test_errors_are_in_dutch(api, frontoffice, desk):
    data = payload(desk)
    data["questions"][0]["status"] = "closed"
    response = post(api(frontoffice), data)
    assert "Kies een uitkomst" in response.json()["outcome"][0]


def test_volunteer_may_not_record_health_notes(api, volunteer, desk):
    response = post(api(volunteer), payload(desk))
    assert response.status_code == 400
    assert "health_notes" in response.json()
    assert not Contact.objects.exists()


def test_another_desk_or_its_resident_or_location_is_refused(api, frontoffice, desk, other_desk, user_for):
    client = api(frontoffice)
    assert "desk" in post(client, payload(other_desk)).json()
    foreign = ResidentFactory(registered_desk=other_desk)
    foreign_resident = post(client, payload(desk, resident=foreign.pk))
    assert foreign_resident.status_code == 400
    assert (
        foreign_resident.json()["resident"] == post(client, payload(desk, resident=999999)).json()["resident"]
    )
    foreign_location = post(client, payload(desk, location=LocationFactory(desk=other_desk).pk))
    assert foreign_location.status_code == 400
    assert "location" in foreign_location.json()
    assert not Contact.objects.exists()


def test_register_takes_json_only(api, frontoffice, desk):
    response = api(frontoffice).post(LIST, {"desk": desk.pk, "channel": "desk"})
    assert response.status_code == 415


def test_registering_needs_the_add_permissions(api, desk, municipality_org):
    reader = UserFactory(organisation=municipality_org, desks=[desk])
    reader.user_permissions.add(
        # (app label too: the social map has a "contact" model of its own)
        Permission.objects.get(codename="view_contact", content_type__app_label="contacts"),
        Permission.objects.get(codename="view_question", content_type__app_label="contacts"),
    )
    client = api(reader)
    assert client.get(LIST).status_code == 200
    assert post(client, payload(desk)).status_code == 403
    assert not Contact.objects.exists()


# --- who is refused ----------------------------------------------------------------------


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_roles_without_contact_permissions_are_refused(api, user_for, role, frontoffice, desk):
    contact = contact_with_questions(desk, frontoffice)
    client = api(user_for(role))
    assert client.get(LIST).status_code == 403
    assert client.get(detail(contact)).status_code == 403
    assert post(client, payload(desk)).status_code == 403
    assert Contact.objects.count() == 1


def test_anonymous_is_refused(api, frontoffice, desk):
    contact = contact_with_questions(desk, frontoffice)
    client = api()
    assert client.get(LIST).status_code == 403
    assert client.get(detail(contact)).status_code == 403
    assert post(client, payload(desk)).status_code == 403
