"""Work lists, the question page, editing a question safely, and finishing follow-ups."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import FollowUp, LifeDomain, Question, QuestionChange
from schakelpunt.contacts.services import question_update
from tests.contacts.factories import ContactFactory, FollowUpFactory, QuestionFactory
from tests.organisations.factories import DeskFactory
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db

HEALTH_NOTE = "Hartfalen, gebruikt plastabletten"
CONFLICT = "Iemand anders heeft dit intussen gewijzigd"


@pytest.fixture
def employee(user_for):
    return user_for("Frontoffice", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def colleague(user_for):
    return user_for("Frontoffice", first_name="Sander", last_name="de Vries")


def make_question(desk, handler, *, days_ago: int = 0, resident=True, **kwargs) -> Question:
    started = timezone.now() - datetime.timedelta(days=days_ago)
    contact = ContactFactory(
        desk=desk,
        handled_by=handler,
        started_at=started,
        resident=ResidentFactory(registered_desk=desk) if resident else None,
    )
    question = QuestionFactory(contact=contact, **kwargs)
    question.domains.add(LifeDomain.objects.get(code="wonen"), LifeDomain.objects.get(code="financien"))
    Question.objects.filter(pk=question.pk).update(created_at=started)
    question.refresh_from_db()
    return question


def work_url(lijst: str = "", **query) -> str:
    query = {"lijst": lijst, **query} if lijst else query
    return reverse("contacts:work") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def question_url(question, name: str = "contacts:question") -> str:
    return reverse(name, kwargs={"pk": question.pk})


def rows(response) -> list[str]:
    body = response.content.decode().split('<tbody class="utrecht-table__body">', 1)
    return re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", body[1], re.S) if len(body) > 1 else []


# --- work lists ---------------------------------------------------------------------------


def test_work_list_shows_my_open_questions_with_counts_per_tab(client, desk, employee, colleague):
    mine = make_question(desk, employee, days_ago=3, question_text="Mijn vraag over de huurtoeslag")
    make_question(desk, colleague, question_text="Vraag van een collega")
    make_question(desk, employee, closed=True, question_text="Vandaag afgesloten vraag")
    client.force_login(employee)
    response = client.get(work_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Mijn vraag over de huurtoeslag" in content and "Vraag van een collega" not in content
    assert "Vandaag afgesloten vraag" not in content
    assert mine.resident.full_name in content and "3 dagen" in content
    for label in [
        "Mijn open vragen (1)",
        "Mijn opvolgingen (0)",
        "Open vragen van het loket (2)",
        "Vandaag afgesloten (1)",
    ]:
        assert label in content
    assert 'aria-current="page"' in content
    # Each look at a list of residents' questions is logged, as a search.
    assert AccessLog.objects.filter(action="search", object_type="contacts.question").count() == 1


def test_desk_list_shows_the_oldest_open_question_first(client, desk, employee, colleague):
    make_question(desk, employee, days_ago=2, question_text="Twee dagen oud")
    make_question(desk, colleague, days_ago=12, question_text="Twaalf dagen oud")
    make_question(desk, colleague, question_text="Van vandaag")
    make_question(DeskFactory(), colleague, question_text="Ander loket")
    client.force_login(employee)
    found = rows(client.get(work_url("loket")))
    assert len(found) == 3
    assert "Twaalf dagen oud" in found[0] and "12 dagen" in found[0]
    assert "Twee dagen oud" in found[1] and "2 dagen" in found[1]
    assert "Van vandaag" in found[2] and "vandaag" in found[2]


def test_overdue_follow_ups_come_first_and_say_so_in_words(client, desk, employee):
    today = timezone.localdate()
    later = FollowUpFactory(
        question=make_question(desk, employee), due_date=today + datetime.timedelta(days=2)
    )
    overdue = FollowUpFactory(
        question=make_question(desk, employee), due_date=today - datetime.timedelta(days=3), note="Bel terug"
    )
    due_today = FollowUpFactory(question=make_question(desk, employee), due_date=today)
    FollowUpFactory(question=make_question(desk, employee), status=FollowUp.Status.DONE)
    client.force_login(employee)
    found = rows(client.get(work_url("mijn-opvolgingen")))
    assert len(found) == 3
    assert f"result-{overdue.pk}" in found[0] and "Te laat: 3 dagen" in found[0] and "Bel terug" in found[0]
    assert f"result-{due_today.pk}" in found[1] and "Vandaag" in found[1]
    assert f"result-{later.pk}" in found[2] and "Te laat" not in found[2]


@pytest.mark.parametrize(
    ("lijst", "empty"),
    [
        ("mijn-vragen", "U heeft geen open vragen."),
        ("mijn-opvolgingen", "U heeft geen geplande opvolgingen."),
        ("loket", "Er staan geen open vragen bij uw loket(ten)."),
        ("vandaag-afgesloten", "Vandaag is nog geen vraag afgesloten."),
    ],
)
def test_each_work_list_has_an_empty_state(client, employee, lijst, empty):
    client.force_login(employee)
    response = client.get(work_url(lijst))
    assert response.status_code == 200 and empty in response.content.decode()


def test_work_list_paginates_by_25_and_keeps_the_tab(client, desk, employee):
    for day in range(30):
        make_question(desk, employee, days_ago=day)
    client.force_login(employee)
    first = client.get(work_url("loket"))
    assert len(rows(first)) == 25
    assert 'href="?lijst=loket&amp;pagina=2"' in first.content.decode()
    assert len(rows(client.get(work_url("loket", pagina=2)))) == 5


def test_work_list_counts_stop_at_the_cap_and_pages_still_go_on(client, desk, employee, monkeypatch):
    from schakelpunt.contacts import views_work

    monkeypatch.setattr(views_work, "COUNT_CAP", 3)
    monkeypatch.setattr(views_work, "PAGE_SIZE", 2)
    for day in range(5):
        make_question(desk, employee, days_ago=day)
    client.force_login(employee)
    content = client.get(work_url("mijn-vragen")).content.decode()
    assert "Mijn open vragen (3+)" in content and "Open vragen van het loket (3+)" in content
    assert "Mijn opvolgingen (0)" in content
    assert "Pagina 1 van 2+" in content and 'href="?lijst=mijn-vragen&amp;pagina=2"' in content
    # Further on, the count reaches the end of the list: exact again.
    last = client.get(work_url("mijn-vragen", pagina=3))
    assert len(rows(last)) == 1
    assert "Mijn open vragen (5)" in last.content.decode() and "Pagina 3 van 3" in last.content.decode()
    # A page beyond the end shows the last page; a wrong number the first.
    assert "Pagina 3 van 3" in client.get(work_url("mijn-vragen", pagina=9)).content.decode()
    assert "Pagina 1 van 2+" in client.get(work_url("mijn-vragen", pagina="x")).content.decode()


def test_work_list_counts_read_at_most_the_cap(client, desk, employee):
    from schakelpunt.contacts.views_work import COUNT_CAP

    client.force_login(employee)
    with CaptureQueriesContext(connection) as queries:
        client.get(work_url("loket"))
    counts = [q["sql"] for q in queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == 4
    assert all(f"LIMIT {COUNT_CAP + 1}" in sql for sql in counts)


def fill_list(lijst: str, desk, employee, count: int) -> None:
    for day in range(count):
        if lijst == "mijn-opvolgingen":
            FollowUpFactory(question=make_question(desk, employee, days_ago=day))
        elif lijst == "vandaag-afgesloten":
            make_question(desk, employee, closed=True)
        else:
            make_question(desk, employee, days_ago=day, resident=day % 2 == 0)


@pytest.mark.parametrize("lijst", ["mijn-vragen", "mijn-opvolgingen", "loket", "vandaag-afgesloten"])
def test_work_list_query_count_does_not_grow_with_the_list(client, desk, employee, lijst):
    client.force_login(employee)
    counts = []
    for count in (1, 50):
        Question.objects.update(status=Question.Status.WAITING)  # out of "closed today"
        FollowUp.objects.update(status=FollowUp.Status.CANCELLED)
        fill_list(lijst, desk, employee, count)
        client.get(work_url(lijst))  # warm up: the content types and permissions caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(work_url(lijst))
        assert len(rows(response)) == min(count, 25)
        counts.append(len(queries))
    # 1 session, 1 user, 1 permissions and roles (the user's own and through groups),
    # 3 capped counts of the other tabs, 1 capped count of this list, 1 the page of rows
    # with resident, contact and handler joined in, 1 their life domains (question lists only;
    # the follow-up list joins its question and resident instead), 1 the access-log row (the
    # roles came with the permissions). The session is not saved: it was renewed at login,
    # less than SESSION_RENEW_AFTER ago.
    expected = 9 if lijst == "mijn-opvolgingen" else 10
    assert counts == [expected, expected]


@pytest.mark.parametrize("role", ["Partner", "Beleidsmedewerker", "Privacyfunctionaris"])
def test_work_list_is_refused_to_roles_without_questions(client, user_for, role):
    client.force_login(user_for(role))
    assert client.get(work_url()).status_code == 403


# --- finishing a follow-up ----------------------------------------------------------------


def test_follow_up_is_marked_done_with_its_result(client, desk, employee):
    follow_up = FollowUpFactory(question=make_question(desk, employee))
    client.force_login(employee)
    response = client.post(
        reverse("contacts:follow-up-done", kwargs={"pk": follow_up.pk}),
        {"result": "Mevrouw is geholpen door de wijkcoach", "next": work_url("mijn-opvolgingen")},
    )
    assert response.status_code == 302 and response.url == work_url("mijn-opvolgingen")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DONE
    assert follow_up.result == "Mevrouw is geholpen door de wijkcoach"
    row = AccessLog.objects.get(action="change")
    assert (row.object_type, row.on_behalf_of) == (
        "contacts.followup",
        f"residents.resident#{follow_up.question.resident_id}",
    )
    # Twice is refused with a message, and changes nothing.
    response = client.post(reverse("contacts:follow-up-done", kwargs={"pk": follow_up.pk}), follow=True)
    assert "al afgehandeld" in response.content.decode()


def test_follow_up_done_does_not_redirect_elsewhere(client, desk, employee):
    follow_up = FollowUpFactory(question=make_question(desk, employee))
    client.force_login(employee)
    response = client.post(
        reverse("contacts:follow-up-done", kwargs={"pk": follow_up.pk}), {"next": "https://example.com/"}
    )
    assert response.url == work_url("mijn-opvolgingen")


def test_follow_up_of_another_desk_is_not_found(client, employee, user_for):
    follow_up = FollowUpFactory(question=make_question(DeskFactory(), user_for("Frontoffice")))
    client.force_login(employee)
    url = reverse("contacts:follow-up-done", kwargs={"pk": follow_up.pk})
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.PLANNED


# --- the question page --------------------------------------------------------------------


def test_question_page_shows_the_question_its_history_and_logs_the_read(client, desk, employee, colleague):
    question = make_question(desk, employee, health_notes=HEALTH_NOTE)
    question_update(
        acting_user=colleague,
        question=question,
        expected_version=1,
        data={"status": Question.Status.CLOSED, "outcome": Question.Outcome.ADVICE, "health_notes": "Nieuw"},
    )
    client.force_login(employee)
    response = client.get(question_url(question))
    content = response.content.decode()
    assert response.status_code == 200
    assert question.question_text in content and HEALTH_NOTE not in content and "Nieuw" in content
    history = content.split('id="history-heading"', 1)[1]
    assert "Sander de Vries" in history
    assert "Open → Afgesloten" in history and "— → Advies gegeven" in history
    assert "Gezondheidsnotities" in history and "de inhoud staat niet in de geschiedenis" in history
    row = AccessLog.objects.get(action="read")
    assert (row.object_type, row.object_id, row.on_behalf_of) == (
        "contacts.question",
        str(question.pk),
        f"residents.resident#{question.resident_id}",
    )


def test_volunteer_sees_no_health_notes_on_the_question_page(client, desk, employee, user_for):
    question = make_question(desk, employee, health_notes=HEALTH_NOTE)
    question_update(
        acting_user=employee, question=question, expected_version=1, data={"health_notes": "Ander"}
    )
    volunteer = user_for("Vrijwilliger")
    client.force_login(volunteer)
    content = client.get(question_url(question)).content.decode()
    assert question.question_text in content
    assert HEALTH_NOTE not in content and "Ander" not in content
    edit = client.get(question_url(question, "contacts:question-edit")).content.decode()
    assert 'name="health_notes"' not in edit and "Ander" not in edit


def test_anonymous_question_is_read_without_a_log_row(client, desk, employee):
    question = make_question(desk, employee, resident=False)
    client.force_login(employee)
    response = client.get(question_url(question))
    assert response.status_code == 200 and "Anoniem" in response.content.decode()
    assert not AccessLog.objects.filter(action="read").exists()


def test_question_of_another_desk_is_not_found(client, employee, user_for):
    question = make_question(DeskFactory(), user_for("Frontoffice"))
    client.force_login(employee)
    assert client.get(question_url(question)).status_code == 404
    assert client.get(question_url(question, "contacts:question-edit")).status_code == 404
    assert client.post(question_url(question, "contacts:question-edit"), {"version": 1}).status_code == 404


@pytest.mark.parametrize("role", ["Partner", "Beleidsmedewerker"])
def test_question_pages_are_refused_to_roles_without_questions(client, desk, employee, user_for, role):
    question = make_question(desk, employee)
    client.force_login(user_for(role, desks=[desk]))
    assert client.get(question_url(question)).status_code in (403, 404)
    assert client.get(question_url(question, "contacts:question-edit")).status_code in (403, 404)


# --- editing a question -------------------------------------------------------------------


def form_data(question: Question, **overrides) -> dict:
    data = {
        "version": question.version,
        "question_text": question.question_text,
        "clarification": question.clarification,
        "health_notes": question.health_notes,
        "domains": [domain.pk for domain in question.domains.all()],
        "urgency": question.urgency,
        "status": question.status,
        "outcome": question.outcome,
        "unmet_reason": question.unmet_reason,
        "answer": question.answer,
        "minutes_spent": question.minutes_spent,
    }
    data.update(overrides)
    return data


def test_edit_form_carries_the_version_and_saves_with_history(client, desk, employee):
    question = make_question(desk, employee)
    client.force_login(employee)
    edit = client.get(question_url(question, "contacts:question-edit")).content.decode()
    assert re.search(r'<input type="hidden" name="version" value="1"', edit)
    response = client.post(
        question_url(question, "contacts:question-edit"),
        form_data(question, clarification="Wil thuis blijven wonen\r\nmet hulp"),
    )
    assert response.status_code == 302 and response.url == question_url(question)
    question.refresh_from_db()
    assert question.clarification == "Wil thuis blijven wonen\nmet hulp" and question.version == 2
    change = QuestionChange.objects.get()
    assert change.changed_by == employee and list(change.fields) == ["clarification"]


def test_saving_unchanged_text_with_browser_line_breaks_changes_nothing(client, desk, employee):
    question = make_question(desk, employee, question_text="Eerste regel\nTweede regel")
    client.force_login(employee)
    response = client.post(
        question_url(question, "contacts:question-edit"),
        form_data(question, question_text="Eerste regel\r\nTweede regel"),
        follow=True,
    )
    assert "Er was niets gewijzigd." in response.content.decode()
    assert not QuestionChange.objects.exists()


def test_second_save_with_the_same_version_is_refused_and_the_first_survives(
    client, desk, employee, colleague
):
    question = make_question(desk, employee)
    first, second = client, type(client)()
    first.force_login(employee)
    second.force_login(colleague)
    opened = form_data(question)  # both opened version 1

    assert (
        first.post(
            question_url(question, "contacts:question-edit"),
            {**opened, "answer": "Verwezen naar de wijkcoach"},
        ).status_code
        == 302
    )
    response = second.post(
        question_url(question, "contacts:question-edit"), {**opened, "answer": "Folder meegegeven"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT in content and 'role="alert"' in content
    assert "Laatst opgeslagen door Fatima El Amrani" in content
    assert "Folder meegegeven" in content  # the second employee's input is still on screen
    question.refresh_from_db()
    assert question.answer == "Verwezen naar de wijkcoach" and question.version == 2
    assert QuestionChange.objects.count() == 1


def test_closing_without_outcome_is_refused_at_the_outcome_field(client, desk, employee):
    question = make_question(desk, employee)
    client.force_login(employee)
    response = client.post(
        question_url(question, "contacts:question-edit"), form_data(question, status=Question.Status.CLOSED)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["outcome"] == [
        "Kies een uitkomst: een vraag kan alleen worden afgesloten met een uitkomst."
    ]
    assert 'id="id_outcome_error"' in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN and question.version == 1


def test_no_supply_needs_a_reason(client, desk, employee):
    question = make_question(desk, employee)
    client.force_login(employee)
    response = client.post(
        question_url(question, "contacts:question-edit"),
        form_data(question, status=Question.Status.CLOSED, outcome=Question.Outcome.NO_SUPPLY),
    )
    assert response.context["form"].errors["unmet_reason"]
    question.refresh_from_db()
    assert question.version == 1


def test_volunteer_edit_keeps_the_health_notes_they_cannot_see(client, desk, employee, user_for):
    question = make_question(desk, employee, health_notes=HEALTH_NOTE)
    client.force_login(user_for("Vrijwilliger"))
    data = form_data(question, answer="Informatie over de Wmo gegeven")
    data["health_notes"] = ""  # a hand-made post: the field is not on the volunteer's form
    response = client.post(question_url(question, "contacts:question-edit"), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.health_notes == HEALTH_NOTE and question.answer == "Informatie over de Wmo gegeven"


def test_edit_page_logs_a_read_and_the_save_a_change(client, desk, employee):
    question = make_question(desk, employee)
    client.force_login(employee)
    client.get(question_url(question, "contacts:question-edit"))
    client.post(question_url(question, "contacts:question-edit"), form_data(question, answer="Advies"))
    assert list(AccessLog.objects.order_by("id").values_list("action", "object_type")) == [
        ("read", "contacts.question"),
        ("change", "contacts.question"),
    ]
