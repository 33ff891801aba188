import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from schakelpunt.contacts.defaults import seed_defaults
from tests.accounts.factories import ROLES, UserFactory
from tests.organisations.factories import DeskFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _roles(request):
    """Load the roles fixture (groups and their permissions) for every test with a database."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if "live_server" in names or "transactional_db" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    call_command("loaddata", "roles", verbosity=0)
    seed_defaults()  # again: transactional tests flush what the migrations seeded


@pytest.fixture(autouse=True)
def _dutch_after_each_test():
    """Requests activate the chosen language and leave it active: reset it between tests."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def desk(db):
    return DeskFactory(name="Zorgloket Teststad", slug="zorgloket-teststad")


@pytest.fixture
def municipality_org(desk):
    return OrganisationFactory(
        name="Gemeente Teststad", municipal=True, municipality=desk.municipalities.first()
    )


@pytest.fixture
def user_for(db, desk, municipality_org):
    """``user_for("Frontoffice")``: a user in that role, working at ``desk``."""

    def make(role: str, **kwargs):
        kwargs.setdefault("organisation", municipality_org)
        kwargs.setdefault("desks", [desk])
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def users_by_role(user_for):
    return {role: user_for(role) for role in ROLES}
