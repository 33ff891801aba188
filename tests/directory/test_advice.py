"""Advice recorded on a question: services, the advice page, and the question page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.directory.models import ServiceAdvice
from schakelpunt.directory.services import service_advice_add, service_advice_remove
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.directory.factories import ServiceFactory, indexed
from tests.organisations.factories import DeskFactory
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(desk):
    return QuestionFactory(contact=ContactFactory(desk=desk, resident=ResidentFactory()))


def advice_url(question) -> str:
    return reverse("directory:question-advice", kwargs={"pk": question.pk})


# --- services -----------------------------------------------------------------------------------


def test_add_and_remove_write_the_access_log(user_for, question):
    user = user_for("Frontoffice")
    service = ServiceFactory()

    advice = service_advice_add(
        acting_user=user, question=question, service=service, note="Bellen op maandag"
    )
    again = service_advice_add(acting_user=user, question=question, service=service, note="anders")

    assert again == advice and advice.note == "Bellen op maandag"
    row = AccessLog.objects.get(object_type="directory.serviceadvice", action="create")
    assert row.object_id == str(advice.pk) and row.user == user
    assert row.on_behalf_of == f"residents.resident#{question.resident_id}"

    assert service_advice_remove(acting_user=user, question=question, service=service)
    assert not service_advice_remove(acting_user=user, question=question, service=service)
    assert not ServiceAdvice.objects.exists()
    assert AccessLog.objects.filter(object_type="directory.serviceadvice", action="delete").count() == 1


def test_a_defunct_service_cannot_be_advised(user_for, question):
    with pytest.raises(ValidationError):
        service_advice_add(
            acting_user=user_for("Frontoffice"), question=question, service=ServiceFactory(defunct=True)
        )


# --- the advice page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("Frontoffice", 200),
        ("Vrijwilliger", 200),
        ("Consulent", 200),
        ("Coördinator", 200),
        ("Partner", 403),
        ("Beleidsmedewerker", 403),
        ("Privacyfunctionaris", 403),
        ("Functioneel beheerder", 403),
    ],
)
def test_advice_page_per_role(client, user_for, question, role, status):
    client.force_login(user_for(role))
    assert client.get(advice_url(question)).status_code == status


def test_a_question_of_another_desk_is_not_found(client, user_for):
    elsewhere = QuestionFactory(contact=ContactFactory(desk=DeskFactory()))
    service = ServiceFactory()
    client.force_login(user_for("Frontoffice"))

    assert client.get(advice_url(elsewhere)).status_code == 404
    assert client.post(advice_url(elsewhere), {"adviseer": str(service.pk)}).status_code == 404
    assert not ServiceAdvice.objects.exists()


def test_advise_from_the_search_and_remove_again(client, user_for, question):
    service = indexed(ServiceFactory(name="Schuldhulpmaatje", description="Hulp bij schulden"))
    user = user_for("Frontoffice")
    client.force_login(user)

    page = client.get(advice_url(question), {"q": "schulden"})
    html = page.content.decode()
    assert "Schuldhulpmaatje" in html and 'name="adviseer"' in html
    # Looking at the question is logged, as on the question page.
    assert AccessLog.objects.filter(object_type="contacts.question", purpose="advice").exists()

    response = client.post(
        advice_url(question), {"adviseer": str(service.pk), "zoekopdracht": "q=schulden&x=1"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{advice_url(question)}?q=schulden"
    advice = ServiceAdvice.objects.get()
    assert (advice.question, advice.service, advice.advised_by) == (question, service, user)

    html = client.get(advice_url(question), {"q": "schulden"}).content.decode()
    assert "Geadviseerd" in html and 'name="verwijder"' in html

    client.post(advice_url(question), {"verwijder": str(service.pk)})
    assert not ServiceAdvice.objects.exists()


def test_nonsense_service_ids_are_not_found(client, user_for, question):
    client.force_login(user_for("Frontoffice"))
    assert client.post(advice_url(question), {"adviseer": "x"}).status_code == 404
    assert (
        client.post(advice_url(question), {"adviseer": str(ServiceFactory(defunct=True).pk)}).status_code
        == 404
    )


def test_htmx_search_on_the_advice_page_is_a_fragment_and_not_logged(client, user_for, question):
    indexed(ServiceFactory(name="Boodschappendienst", description="Boodschappen aan huis"))
    client.force_login(user_for("Frontoffice"))
    response = client.get(
        advice_url(question), {"q": "boodsch"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    html = response.content.decode()
    assert "Boodschappendienst" in html and "Adviseer" in html and "<h1" not in html
    assert question.question_text not in html
    assert not AccessLog.objects.filter(purpose="advice").exists()


def test_question_page_shows_advice_and_the_way_to_the_social_map(client, user_for, question):
    user = user_for("Frontoffice")
    service_advice_add(acting_user=user, question=question, service=ServiceFactory(name="Ouderenadviseur"))
    client.force_login(user)

    html = client.get(reverse("contacts:question", kwargs={"pk": question.pk})).content.decode()

    assert "Geadviseerde diensten" in html and "Ouderenadviseur" in html
    assert "Zoek in de sociale kaart" in html and advice_url(question) in html
