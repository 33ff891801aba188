# ruff: noqa: F811 - the fixtures imported from editing_fixtures are used as arguments
"""The editing pages: partner isolation (404, not a form), the administrator, the desk roles,
the conflict message, the history page and the manage list's query count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakelpunt.directory.defaults import term_id
from schakelpunt.directory.models import Schedule, Service
from tests.directory.editing_fixtures import (  # noqa: F401 - fixtures, used as arguments
    admin_user,
    other_org,
    other_participant,
    other_service,
    own_org,
    own_participant,
    own_service,
    partner,
)
from tests.directory.factories import ScheduleFactory, ServiceFactory
from tests.organisations.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def _urls(service):
    return {
        name: reverse(f"directory:{name}", args=[service.pk])
        for name in ("service-edit", "service-history", "service-confirm", "service-capacity")
    }


def _form_data(service, **changes):
    """What the edit form posts for ``service`` unchanged, with ``changes`` on top."""
    data = {
        "version": service.version,
        "name": service.name,
        "alternate_name": service.alternate_name,
        "description": service.description,
        "status": service.status,
        "alert": service.alert,
        "eligibility_description": service.eligibility_description,
        "minimum_age": service.minimum_age or "",
        "maximum_age": service.maximum_age or "",
        "application_process": service.application_process,
        "fees_description": service.fees_description,
        "url": service.url,
        "email": service.email,
        "capacity": service.capacity,
        "capacity_wait_band": service.capacity_wait_band,
        "uren-TOTAL_FORMS": "0",
        "uren-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_partner_gets_404_for_another_organisations_service(client, partner, other_service):
    client.force_login(partner)
    urls = _urls(other_service)
    assert client.get(urls["service-edit"]).status_code == 404
    assert client.get(urls["service-history"]).status_code == 404
    assert client.post(urls["service-edit"], _form_data(other_service, name="Gekaapt")).status_code == 404
    assert client.post(urls["service-confirm"]).status_code == 404
    assert client.post(urls["service-capacity"], {"capacity": "full"}).status_code == 404
    other_service.refresh_from_db()
    assert other_service.name == "Inloop Elders" and other_service.capacity == "unknown"
    assert other_service.history.count() == 1


def test_partner_sees_and_edits_own_service(client, partner, own_service):
    client.force_login(partner)
    response = client.get(_urls(own_service)["service-edit"])
    assert response.status_code == 200
    assert b"Gegevens kloppen nog" in response.content and b"Huishoudelijke hulp Testland" in response.content


def test_desk_roles_are_refused(client, user_for, own_service):
    for role in ("Frontoffice", "Vrijwilliger", "Consulent", "Coördinator", "Beleidsmedewerker"):
        client.force_login(user_for(role))
        assert client.get(reverse("directory:manage")).status_code == 403
        assert client.get(_urls(own_service)["service-edit"]).status_code == 403
        assert client.post(_urls(own_service)["service-confirm"]).status_code == 403


def test_functional_administrator_edits_every_service(client, admin_user, own_service, other_service):
    client.force_login(admin_user)
    for service in (own_service, other_service):
        response = client.post(_urls(service)["service-edit"], _form_data(service, alert="Gesloten op 1 mei"))
        assert response.status_code == 302
        service.refresh_from_db()
        assert service.alert == "Gesloten op 1 mei" and service.version == 2
        assert service.history.order_by("-history_id").first().history_user == admin_user


def test_edit_saves_fields_terms_areas_and_opening_hours(client, partner, own_service):
    hengelo = MunicipalityFactory(name="Hengelo")
    schedule = ScheduleFactory(service=own_service)
    client.force_login(partner)
    data = _form_data(
        own_service,
        capacity="waiting_list",
        capacity_wait_band="2-6w",
        minimum_age="65",
        is_free="on",
        confirm="on",
        categories=[str(term_id("ZORG-HH"))],
        target_groups=[str(term_id("DG-OUD"))],
        municipalities=[str(hengelo.pk)],
    )
    data.update(
        {
            "uren-TOTAL_FORMS": "2",
            "uren-INITIAL_FORMS": "1",
            "uren-0-id": str(schedule.pk),
            "uren-0-byday": ["MO", "WE"],
            "uren-0-opens_at": "09:00",
            "uren-0-closes_at": "12:30",
            "uren-0-description": "Op afspraak",
            "uren-1-byday": ["SA"],
            "uren-1-opens_at": "10:00",
            "uren-1-closes_at": "12:00",
        }
    )
    response = client.post(_urls(own_service)["service-edit"], data)
    assert response.status_code == 302, response.context["form"].errors
    service = Service.objects.get(pk=own_service.pk)
    assert (service.capacity, service.capacity_wait_band, service.minimum_age) == ("waiting_list", "2-6w", 65)
    assert service.is_free and service.capacity_confirmed_on == timezone.localdate()
    assert set(service.terms.values_list("code", flat=True)) == {"ZORG-HH", "DG-OUD"}
    assert list(service.service_areas.values_list("municipality__name", flat=True)) == ["Hengelo"]
    hours = set(
        Schedule.objects.filter(service=service).values_list("byday", "opens_at", "closes_at", "description")
    )
    assert hours == {
        ("MO,WE", datetime.time(9), datetime.time(12, 30), "Op afspraak"),
        ("SA", datetime.time(10), datetime.time(12), ""),
    }
    assert service.version == 2 and service.assurer_email == partner.email
    # The form opens again with what was saved.
    page = client.get(_urls(own_service)["service-edit"]).content.decode()
    assert f'value="{term_id("ZORG-HH")}" id="id_categories_ZORG-HH" checked' in page


def test_invalid_opening_hours_show_an_error_and_save_nothing(client, partner, own_service):
    client.force_login(partner)
    data = _form_data(own_service, name="Nieuwe naam")
    data.update(
        {
            "uren-TOTAL_FORMS": "1",
            "uren-0-byday": ["MO"],
            "uren-0-opens_at": "17:00",
            "uren-0-closes_at": "09:00",
        }
    )
    response = client.post(_urls(own_service)["service-edit"], data)
    assert response.status_code == 200
    assert "De eindtijd moet na de begintijd liggen." in response.content.decode()
    own_service.refresh_from_db()
    assert own_service.name == "Huishoudelijke hulp Testland"


def test_conflict_when_someone_saved_in_between(client, partner, admin_user, own_service):
    client.force_login(admin_user)
    client.post(_urls(own_service)["service-edit"], _form_data(own_service, name="Versie van de beheerder"))
    client.force_login(partner)
    # The partner's form was opened at version 1.
    response = client.post(
        _urls(own_service)["service-edit"], _form_data(own_service, name="Versie van de partner")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert "Laatst opgeslagen door" in page and admin_user.get_full_name() in page
    assert 'value="Versie van de partner"' in page
    own_service.refresh_from_db()
    assert own_service.name == "Versie van de beheerder"


def test_confirm_and_capacity_buttons(client, partner, own_service):
    Service.objects.filter(pk=own_service.pk).update(assured_date=datetime.date(2020, 1, 1))
    client.force_login(partner)
    manage = reverse("directory:manage") + "?lijst=te-controleren"
    response = client.post(_urls(own_service)["service-confirm"], {"next": manage})
    assert response.status_code == 302 and response["Location"] == manage
    response = client.post(
        _urls(own_service)["service-capacity"], {"capacity": "waiting_list", "wait_band": "gt12w"}
    )
    assert response["Location"] == _urls(own_service)["service-edit"]
    own_service.refresh_from_db()
    assert own_service.assured_date == timezone.localdate()
    assert (own_service.capacity, own_service.capacity_wait_band) == ("waiting_list", "gt12w")
    # An address elsewhere is not followed.
    response = client.post(_urls(own_service)["service-confirm"], {"next": "https://elders.example/"})
    assert response["Location"] == _urls(own_service)["service-edit"]


def test_history_page_shows_who_changed_what(client, partner, own_service):
    client.force_login(partner)
    client.post(
        _urls(own_service)["service-edit"],
        _form_data(
            own_service,
            capacity="full",
            description="Nu ook in het weekend",
            categories=[str(term_id("ZORG-HH"))],
        ),
    )
    page = client.get(_urls(own_service)["service-history"]).content.decode()
    assert partner.get_full_name() in page
    assert "Capaciteit" in page and "Vol" in page and "Onbekend" in page
    assert "Omschrijving" in page and "Nu ook in het weekend" in page
    assert "Termen: + Huishoudelijke hulp." in page
    assert "De dienst is toegevoegd." in page


def test_partner_adds_a_service(client, partner, own_org):
    client.force_login(partner)
    url = reverse("directory:service-create")
    assert client.get(url).status_code == 200
    data = _form_data(
        Service(name="Boodschappendienst", status="active", capacity="available"),
        organization=str(own_org.pk),
    )
    del data["version"]
    response = client.post(url, data)
    service = Service.objects.get(name="Boodschappendienst")
    assert response["Location"] == reverse("directory:service-edit", args=[service.pk])
    assert service.organization == own_org


def test_partner_cannot_add_for_another_organisation(client, partner, own_org, other_org):
    client.force_login(partner)
    data = _form_data(
        Service(name="Niet van mij", status="active", capacity="available"), organization=str(other_org.pk)
    )
    del data["version"]
    response = client.post(reverse("directory:service-create"), data)
    assert response.status_code == 200 and not Service.objects.filter(name="Niet van mij").exists()


def test_partner_without_organisation_on_the_map(client, user_for):
    client.force_login(user_for("Partner"))
    response = client.get(reverse("directory:service-create"))
    assert response.status_code == 200 and "nog niet op de sociale kaart" in response.content.decode()
    response = client.get(reverse("directory:manage"))
    assert response.status_code == 200 and "Geen diensten gevonden" in response.content.decode()


def test_manage_list_shows_only_own_services(client, partner, own_service, other_service):
    client.force_login(partner)
    page = client.get(reverse("directory:manage")).content.decode()
    assert "Mijn diensten" in page and own_service.name in page and other_service.name not in page


def test_manage_list_filters_and_htmx_fragment(client, admin_user, own_service, other_service):
    client.force_login(admin_user)
    url = reverse("directory:manage")
    page = client.get(url, {"q": "inloop"}).content.decode()
    assert other_service.name in page and own_service.name not in page
    page = client.get(url, {"aanbieder": str(own_service.organization_id)}).content.decode()
    assert own_service.name in page and other_service.name not in page
    fragment = client.get(url, {"q": "inloop"}, headers={"HX-Request": "true"}).content.decode()
    assert other_service.name in fragment and "<html" not in fragment


def test_manage_list_query_count_is_constant(client, admin_user, own_org, django_assert_num_queries):
    client.force_login(admin_user)
    url = reverse("directory:manage")
    ServiceFactory(organization=own_org, stale=True)
    client.get(url)  # warm up: content types, permissions cache
    # 4 to know the user (session, user, user and group permissions), 3 to renew the session
    # (savepoint, update, release), and 4 of the page: this list's count and rows, the other
    # list's count, the organisations of the filter. Services carry their organisation (join).
    with django_assert_num_queries(7):
        client.get(url)
    ServiceFactory.create_batch(30, organization=own_org, stale=True)
    with django_assert_num_queries(7):
        client.get(url)
    with django_assert_num_queries(7):
        client.get(url, {"lijst": "te-controleren"})
