"""Every URL, as anonymous and as every role: only what a rule opens is open."""

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

from tests.core.url_walk import iter_patterns, walk
from tests.organisations.factories import LocationFactory


@pytest.fixture
def everyone(users_by_role):
    return {"anonymous": None, **users_by_role}


@pytest.mark.django_db
def test_every_url_follows_its_access_rule(everyone, desk):
    LocationFactory(desk=desk)
    problems, requests = walk(everyone, {"organisations:desk-detail": {"slug": desk.slug}})
    assert problems == []
    # Our own pages and the admin site: well over a hundred requests, none unchecked.
    assert requests > 100


@pytest.mark.django_db
def test_walk_sees_every_pattern():
    from django.urls import get_resolver

    names = {entry.name for entry in iter_patterns(get_resolver().url_patterns)}
    assert {"core:home", "core:health", "accounts:login", "audit:log", "admin:index"} <= names


# --- the test of the test: tests/core/urls_with_leak.py adds two mistakes -----------------


@pytest.mark.django_db
def test_walk_reports_a_view_without_access_rule(everyone):
    with override_settings(ROOT_URLCONF="tests.core.urls_with_leak"):
        clear_url_caches()
        problems, _ = walk(everyone)
    clear_url_caches()
    assert any("leak/" in problem and "no access rule" in problem for problem in problems)


@pytest.mark.django_db
def test_walk_reports_a_rule_that_is_not_enforced(everyone):
    with override_settings(ROOT_URLCONF="tests.core.urls_with_leak"):
        clear_url_caches()
        problems, _ = walk(everyone)
    clear_url_caches()
    assert any("/claims-protected/ as anonymous" in problem for problem in problems)


@pytest.mark.django_db
def test_middleware_refuses_a_view_without_access_rule(client, user_for):
    client.force_login(user_for("Coördinator"))
    with override_settings(ROOT_URLCONF="tests.core.urls_with_leak"):
        clear_url_caches()
        response = client.get("/leak/")
    clear_url_caches()
    assert response.status_code == 403
    assert b"personal data" not in response.content


@pytest.mark.django_db
def test_models_with_personal_data_see_nothing_unless_they_open_up(user_for):
    from schakelpunt.audit.models import AccessLog
    from schakelpunt.contacts.models import Contact, Question
    from schakelpunt.core.access import VisibleQuerySet
    from schakelpunt.residents.models import Resident
    from tests.residents.factories import ResidentFactory

    for model in (Resident, Contact, Question, AccessLog):
        assert isinstance(model.objects.all(), VisibleQuerySet), model
    ResidentFactory()
    # The base class denies everyone; each model opens up in its own visible_to.
    assert not VisibleQuerySet(model=Resident).visible_to(user_for("Coördinator")).exists()
