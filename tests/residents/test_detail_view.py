"""The resident's page: personal data, the timeline, who may see what, and what it costs."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Contact, LifeDomain, Question
from tests.contacts.factories import ContactFactory, FollowUpFactory, QuestionFactory
from tests.organisations.factories import DeskFactory
from tests.residents.factories import BSNS, ConsentFactory, ResidentFactory

pytestmark = pytest.mark.django_db

HEALTH_NOTE = "Suikerziekte, insuline twee keer per dag"


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
        phone="053 123 4567",
        email="j.jansen@example.nl",
    )


def story(resident, desk, employee, count: int, *, domain: str = "wonen"):
    """``count`` contacts, one a day back in time, each with a question and a follow-up a week later."""
    wonen = LifeDomain.objects.get(code=domain)
    now = timezone.now()
    for day in range(count):
        started = now - datetime.timedelta(days=day, hours=1)
        contact = ContactFactory(desk=desk, resident=resident, handled_by=employee, started_at=started)
        question = QuestionFactory(
            contact=contact,
            question_text=f"Vraag {day}: de huur is omhoog gegaan en ik kom niet meer rond.",
            health_notes=HEALTH_NOTE,
        )
        question.domains.add(wonen)
        Question.objects.filter(pk=question.pk).update(created_at=started + datetime.timedelta(minutes=5))
        FollowUpFactory(question=question, due_date=started.date() + datetime.timedelta(days=7))


def detail_url(resident, **query) -> str:
    url = reverse("residents:detail", kwargs={"pk": resident.pk})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def entries(response) -> list[str]:
    return re.findall(r'data-kind="(\w+)"', response.content.decode())


def test_resident_page_shows_personal_data_and_timeline(client, desk, employee, resident):
    story(resident, desk, employee, 2)
    ConsentFactory(resident=resident, recorded_by=employee, purpose="Doorverwijzing naar woningcorporatie")
    client.force_login(employee)
    response = client.get(detail_url(resident))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ["Johanna Maria Jansen", BSNS[0], "Marktstraat", "053 123 4567", "j.jansen@example.nl"]:
        assert text in content
    assert "Doorverwijzing naar woningcorporatie" in content  # active consent, and on the timeline
    assert HEALTH_NOTE in content  # front office may see health notes
    assert "Vraag 0: de huur" in content and "Vraag 1: de huur" in content
    assert f'href="{reverse("contacts:intake")}?inwoner={resident.pk}"' in content  # new contact
    # Newest first: the follow-ups (a week ahead), then consent, question and contact of today.
    assert entries(response) == [
        "follow_up",
        "follow_up",
        "consent",
        "question",
        "contact",
        "question",
        "contact",
    ]


def test_volunteer_sees_no_bsn_and_no_health_notes(client, desk, employee, resident, user_for):
    story(resident, desk, employee, 1)
    client.force_login(user_for("Vrijwilliger"))
    response = client.get(detail_url(resident))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Vraag 0: de huur" in content
    assert BSNS[0] not in content and ">BSN<" not in content
    assert HEALTH_NOTE not in content and "Gezondheidsnotities" not in content


def test_secret_address_is_hidden_from_the_volunteer(client, desk, user_for):
    resident = ResidentFactory(registered_desk=desk, is_secret=True, street="Geheimelaan")
    client.force_login(user_for("Vrijwilliger"))
    content = client.get(detail_url(resident)).content.decode()
    assert "Geheimelaan" not in content and "Adres afgeschermd (geheimhouding)" in content
    client.force_login(user_for("Frontoffice"))
    assert "Geheimelaan" in client.get(detail_url(resident)).content.decode()


def test_resident_of_another_desk_is_not_found(client, user_for):
    other = ResidentFactory(registered_desk=DeskFactory())
    client.force_login(user_for("Frontoffice"))
    assert client.get(detail_url(other)).status_code == 404
    assert client.get(reverse("residents:detail", kwargs={"pk": 999_999})).status_code == 404


@pytest.mark.parametrize(
    "role", ["Partner", "Beleidsmedewerker", "Privacyfunctionaris", "Functioneel beheerder"]
)
def test_roles_without_resident_access_are_refused(client, resident, user_for, role):
    client.force_login(user_for(role))
    assert client.get(detail_url(resident)).status_code in (403, 404)
    assert not AccessLog.objects.filter(object_type="residents.resident", result="success").exists()


def test_each_view_of_the_page_writes_one_read_row(client, desk, employee, resident):
    story(resident, desk, employee, 1)
    client.force_login(employee)
    client.get(detail_url(resident))
    client.get(detail_url(resident, domein="wonen"), headers={"HX-Request": "true"})
    rows = AccessLog.objects.filter(object_type="residents.resident", object_id=str(resident.pk))
    assert [(row.action, row.username, row.purpose) for row in rows] == [
        ("read", employee.username, "timeline")
    ] * 2


def test_empty_timeline_says_so(client, employee, resident):
    client.force_login(employee)
    response = client.get(detail_url(resident))
    assert "Er is nog niets vastgelegd voor deze inwoner" in response.content.decode()
    assert entries(response) == []


def test_filters_by_domain_and_status_and_keep_them_in_the_links(client, desk, employee, resident):
    story(resident, desk, employee, 30)
    zorg = QuestionFactory(
        contact=ContactFactory(desk=desk, resident=resident, handled_by=employee),
        question_text="Ik wil graag hulp bij het douchen.",
        closed=True,
    )
    zorg.domains.add(LifeDomain.objects.get(code="zorg"))
    client.force_login(employee)

    content = client.get(detail_url(resident, domein="zorg")).content.decode()
    assert "hulp bij het douchen" in content and "de huur is omhoog" not in content
    assert "levensdomein Zorg" in content  # the status line says what is filtered

    content = client.get(detail_url(resident, status="closed")).content.decode()
    assert "hulp bij het douchen" in content and "de huur is omhoog" not in content

    # 30 stories of three entries: the next page keeps the filter in its link.
    response = client.get(detail_url(resident, domein="wonen"))
    assert len(entries(response)) == 25
    assert "hulp bij het douchen" not in response.content.decode()
    assert 'href="?domein=wonen&amp;pagina=2"' in response.content.decode()
    second = client.get(detail_url(resident, domein="wonen", pagina=2))
    assert len(entries(second)) == 25 and 'href="?domein=wonen&amp;pagina=1"' in second.content.decode()


def test_unknown_filter_value_is_reported_at_the_field(client, employee, resident):
    client.force_login(employee)
    response = client.get(detail_url(resident, domein="bestaat-niet"))
    assert response.status_code == 200
    assert response.context["form"].errors["domein"]


@pytest.mark.parametrize("value", ["", "closed", "bestaat-niet"])
def test_filter_lists_render_as_django_renders_a_select(value):
    """The filter's lists write their options themselves: the HTML is Django's, to the byte."""
    from django import forms

    from schakelpunt.residents.forms import Select

    choices = [("", "Alle <statussen>"), *Question.Status.choices, (3, "Drie & meer")]
    attrs = {"class": "utrecht-select", "required": True, "disabled": False, "data-x": '"q"'}
    ours = Select(attrs=attrs, choices=choices).render("status", value, attrs={"id": "id_status"})
    django = forms.Select(attrs=attrs, choices=choices).render("status", value, attrs={"id": "id_status"})
    assert ours == django


def test_htmx_request_gets_only_the_timeline(client, desk, employee, resident):
    story(resident, desk, employee, 1)
    client.force_login(employee)
    response = client.get(detail_url(resident, domein="wonen"), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="timeline"' in content and 'hx-swap-oob="true"' in content
    assert "<html" not in content and "Persoonsgegevens" not in content
    assert "HX-Request" in response.headers["Vary"]
    # Going back in the browser history without a cached copy asks for the whole page.
    restore = client.get(
        detail_url(resident), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "Persoonsgegevens" in restore.content.decode()


def count_queries(client, url, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [1, 50])
def test_resident_page_query_count_does_not_grow_with_the_timeline(client, desk, employee, resident, count):
    from tests.referrals.factories import ReferralFactory

    story(resident, desk, employee, count)
    ConsentFactory(resident=resident, recorded_by=employee)
    for question in Question.objects.filter(resident=resident):
        referral = ReferralFactory(question=question, referred_by=employee, consent=None, warm_handover=True)
        # Each referral the minute after its question, so every kind shares the first page.
        type(referral).objects.filter(pk=referral.pk).update(
            created_at=question.created_at + datetime.timedelta(minutes=1)
        )
    from tests.wmo.factories import WmoReportFactory

    WmoReportFactory(desk=desk, resident=resident, decided=True)  # four phases on the timeline
    client.force_login(employee)
    client.get(detail_url(resident))  # warm up: the content types and permissions caches
    # 1 session, 1 user, 2 permissions (the user's own and through groups), 1 the resident,
    # 7 timeline keys (the newest contacts, questions, follow-ups, referrals, Wmo phases,
    # register changes and consents),
    # 9 timeline objects on the page (contacts + their questions, questions + their domains,
    # follow-ups, referrals, Wmo phases + their reports' support requests, consents),
    # 2 access-log row (the user's roles, the insert),
    # 1 representations, 1 active consents, 1 life domains for the filter form,
    # 3 saving the session, as on every request for the idle timeout (savepoint, update, release).
    assert count_queries(client, detail_url(resident)) == 24
    # The htmx fragment leaves out the personal-data card (representations, active consents)
    # and the filter form (life domains).
    assert count_queries(client, detail_url(resident), headers={"HX-Request": "true"}) == 21


def test_contact_without_questions_shows_on_the_timeline(client, desk, employee, resident):
    ContactFactory(desk=desk, resident=resident, handled_by=employee, channel=Contact.Channel.HOME_VISIT)
    client.force_login(employee)
    response = client.get(detail_url(resident))
    assert entries(response) == ["contact"]
    assert "Contactmoment: Huisbezoek" in response.content.decode()


def test_changes_from_the_register_show_on_the_timeline(client, desk, employee, resident):
    from schakelpunt.contrib.brp.models import RegisterChange

    RegisterChange.objects.create(
        resident=resident,
        kind=RegisterChange.Kind.MOVED,
        effective_on=datetime.date(2026, 3, 1),
        register_changed_at=timezone.now(),
        source="sync",
    )
    client.force_login(employee)
    response = client.get(detail_url(resident))
    assert entries(response) == ["register_change"]
    assert "Basisregistratie: Verhuisd binnen de regio" in response.content.decode()
    assert "Met ingang van 1-3-2026" in response.content.decode()
