"""Fixtures for the editing tests: two partner organisations on the social map, each with a
service, and users of the roles that edit (or may not)."""

import pytest

from tests.directory.factories import OrganizationFactory, ServiceFactory
from tests.organisations.factories import OrganisationFactory


@pytest.fixture
def own_participant(db):
    return OrganisationFactory(name="Thuiszorg Testland")


@pytest.fixture
def other_participant(db):
    return OrganisationFactory(name="Welzijn Elders")


@pytest.fixture
def own_org(own_participant):
    return OrganizationFactory(
        name="Thuiszorg Testland", participant=own_participant, email="info@thuiszorg.example"
    )


@pytest.fixture
def other_org(other_participant):
    return OrganizationFactory(
        name="Welzijn Elders", participant=other_participant, email="info@elders.example"
    )


@pytest.fixture
def own_service(own_org):
    return ServiceFactory(organization=own_org, name="Huishoudelijke hulp Testland")


@pytest.fixture
def other_service(other_org):
    return ServiceFactory(organization=other_org, name="Inloop Elders")


@pytest.fixture
def partner(user_for, own_participant):
    return user_for("Partner", organisation=own_participant, desks=[], email="partner@thuiszorg.example")


@pytest.fixture
def admin_user(user_for):
    return user_for("Functioneel beheerder", email="beheer@loket.example")
