# ruff: noqa: F811 - the fixtures imported from editing_fixtures are used as arguments
"""The editing services: who may change which service, optimistic locking, history."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from schakelpunt.core.exceptions import ConflictError
from schakelpunt.directory.models import Schedule, Service, ServiceArea
from schakelpunt.directory.services import (
    organizations_editable_by,
    schedule_add,
    schedule_remove,
    schedule_update,
    service_areas_set,
    service_capacity_update,
    service_confirm,
    service_create,
    service_terms_set,
    service_update,
)
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
from tests.directory.factories import ScheduleFactory, TaxonomyTermFactory
from tests.organisations.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_partner_changes_own_service_with_history(partner, own_service):
    saved = service_update(
        acting_user=partner,
        service=own_service,
        data={"description": "Nieuwe omschrijving\r\nmet twee regels", "is_free": True},
        expected_version=own_service.version,
    )
    assert saved.version == own_service.version + 1
    assert saved.description == "Nieuwe omschrijving\nmet twee regels"
    record = saved.history.first()
    assert record.history_user == partner and record.history_type == "~"
    delta = record.diff_against(record.prev_record)
    assert {change.field for change in delta.changes} >= {"description", "is_free"}
    assert "Nieuwe omschrijving" in Service.objects.get(pk=own_service.pk).search_text


def test_partner_may_not_change_another_organisations_service(partner, other_service):
    for call in (
        lambda: service_update(
            acting_user=partner, service=other_service, data={"name": "Gekaapt"}, expected_version=1
        ),
        lambda: service_confirm(acting_user=partner, service=other_service),
        lambda: service_capacity_update(acting_user=partner, service=other_service, capacity="full"),
        lambda: service_terms_set(acting_user=partner, service=other_service, terms=[]),
        lambda: schedule_add(
            acting_user=partner,
            service=other_service,
            data={"byday": "MO", "opens_at": datetime.time(9), "closes_at": datetime.time(10)},
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    other_service.refresh_from_db()
    assert other_service.name == "Inloop Elders" and other_service.version == 1
    assert not other_service.schedules.exists()
    assert other_service.history.count() == 1


def test_desk_roles_change_nothing(user_for, own_service):
    for role in ("Frontoffice", "Consulent", "Coördinator", "Beleidsmedewerker"):
        with pytest.raises(PermissionDenied):
            service_confirm(acting_user=user_for(role), service=own_service)


def test_functional_administrator_changes_every_service(admin_user, own_service, other_service):
    for service in (own_service, other_service):
        saved = service_update(
            acting_user=admin_user, service=service, data={"alert": "Let op"}, expected_version=1
        )
        assert saved.alert == "Let op" and saved.history.first().history_user == admin_user


def test_stale_version_is_a_conflict_and_saves_nothing(partner, own_service):
    service_update(acting_user=partner, service=own_service, data={"name": "Eerste"}, expected_version=1)
    with pytest.raises(ConflictError):
        service_update(acting_user=partner, service=own_service, data={"name": "Tweede"}, expected_version=1)
    own_service.refresh_from_db()
    assert own_service.name == "Eerste" and own_service.version == 2


def test_nothing_changed_saves_nothing(partner, own_service):
    saved = service_update(
        acting_user=partner, service=own_service, data={"name": own_service.name}, expected_version=1
    )
    assert saved.version == 1 and own_service.history.count() == 1


def test_invalid_data_changes_nothing(partner, own_service):
    term = TaxonomyTermFactory()
    with pytest.raises(ValidationError):
        service_update(
            acting_user=partner,
            service=own_service,
            data={"minimum_age": 65, "maximum_age": 18, "terms": [term]},
            expected_version=1,
        )
    own_service.refresh_from_db()
    assert own_service.minimum_age is None and not own_service.terms.exists()


def test_confirm_sets_assured_date_and_email(partner, own_service):
    Service.objects.filter(pk=own_service.pk).update(assured_date=datetime.date(2024, 1, 1))
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)):
        confirmed = service_confirm(acting_user=partner, service=own_service)
    assert confirmed.assured_date == datetime.date(2026, 3, 2)
    assert confirmed.assurer_email == "partner@thuiszorg.example"
    # An edit form opened before the confirmation can still be saved.
    assert confirmed.version == 1
    assert confirmed.history.order_by("-history_id").first().history_user == partner


def test_capacity_update(partner, own_service):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)):
        saved = service_capacity_update(
            acting_user=partner, service=own_service, capacity="waiting_list", wait_band="6-12w"
        )
    assert (saved.capacity, saved.capacity_wait_band) == ("waiting_list", "6-12w")
    assert saved.capacity_confirmed_on == datetime.date(2026, 3, 2) and saved.version == 2
    # A wait band only belongs to a waiting list.
    saved = service_capacity_update(
        acting_user=partner, service=own_service, capacity="full", wait_band="6-12w"
    )
    assert (saved.capacity, saved.capacity_wait_band) == ("full", "")


def test_terms_areas_and_schedules_are_in_the_history(partner, own_service):
    care = TaxonomyTermFactory(name="Huishoudelijke hulp", code="ZORG-HH")
    hengelo = MunicipalityFactory(name="Hengelo")
    service_terms_set(acting_user=partner, service=own_service, terms=[care])
    service_areas_set(acting_user=partner, service=own_service, municipalities=[hengelo])
    saved = schedule_add(
        acting_user=partner,
        service=own_service,
        data={"byday": ["MO", "TU"], "opens_at": datetime.time(9), "closes_at": datetime.time(12)},
    )
    schedule = saved.schedules.get()
    assert (schedule.byday, schedule.freq) == ("MO,TU", Schedule.Freq.WEEKLY)
    schedule_update(
        acting_user=partner,
        schedule=schedule,
        data={"byday": "MO", "opens_at": datetime.time(9), "closes_at": datetime.time(13)},
    )
    schedule_remove(acting_user=partner, schedule=schedule)
    reasons = list(
        own_service.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons[1:] == [
        "Termen: + Huishoudelijke hulp.",
        "Werkgebied: + Hengelo.",
        "Openingstijd toegevoegd: ma, di 09:00–12:00.",
        "Openingstijd gewijzigd: ma, di 09:00–12:00 → ma 09:00–13:00.",
        "Openingstijd verwijderd: ma 09:00–13:00.",
    ]
    assert ServiceArea.objects.get(service=own_service).municipality == hengelo
    assert "Huishoudelijke hulp" in Service.objects.get(pk=own_service.pk).search_text
    assert Service.objects.get(pk=own_service.pk).version == 6
    assert Schedule.history.filter(id=schedule.pk).latest().history_user == partner


def test_service_update_with_schedule_rows(partner, own_service):
    kept = ScheduleFactory(service=own_service, byday="MO,TU,WE,TH,FR")
    monthly = ScheduleFactory(service=own_service, freq="MONTHLY", byday="1MO")
    saved = service_update(
        acting_user=partner,
        service=own_service,
        data={
            "schedules": [
                {"id": kept.pk, "delete": True},
                {"id": None, "byday": "SA", "opens_at": datetime.time(10), "closes_at": datetime.time(12)},
            ]
        },
        expected_version=1,
    )
    assert saved.version == 2
    assert set(own_service.schedules.values_list("byday", flat=True)) == {"1MO", "SA"}
    assert Schedule.objects.filter(pk=monthly.pk).exists()
    with pytest.raises(ValidationError):
        service_update(
            acting_user=partner,
            service=own_service,
            data={
                "schedules": [
                    {"id": None, "byday": "SU", "opens_at": datetime.time(12), "closes_at": datetime.time(9)}
                ]
            },
            expected_version=2,
        )
    assert own_service.schedules.count() == 2


def test_partner_creates_services_for_own_organisation_only(partner, own_org, other_org):
    assert list(organizations_editable_by(partner)) == [own_org]
    service = service_create(
        acting_user=partner,
        organization=own_org,
        data={"name": "Maaltijdservice", "description": "Warme maaltijden", "capacity": "available"},
    )
    assert service.organization == own_org and service.assured_date is not None
    assert service.history.get().history_user == partner
    assert "Maaltijdservice" in Service.objects.get(pk=service.pk).search_text
    with pytest.raises(PermissionDenied):
        service_create(acting_user=partner, organization=other_org, data={"name": "Niet van mij"})
    assert not Service.objects.filter(name="Niet van mij").exists()


def test_partner_without_linked_organisation_edits_nothing(user_for, own_service):
    loner = user_for("Partner")
    assert not organizations_editable_by(loner).exists()
    assert not Service.objects.editable_by(loner).exists()
