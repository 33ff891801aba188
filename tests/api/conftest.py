"""Shared set-up of the API tests: a second desk, clients per user, query counting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.organisations.factories import DeskFactory

# Roles without any resident or contact permission: every endpoint refuses them.
REFUSED_ROLES = ["Partner", "Beleidsmedewerker", "Privacyfunctionaris", "Functioneel beheerder"]


@pytest.fixture
def other_desk(db):
    """A desk in another municipality: its residents and contacts are not ours."""
    return DeskFactory(name="Zorgloket Elders")


@pytest.fixture
def frontoffice(user_for):
    return user_for("Frontoffice")


@pytest.fixture
def volunteer(user_for):
    return user_for("Vrijwilliger")


@pytest.fixture
def stranger(user_for, other_desk):
    """A front-office employee of the other desk."""
    return user_for("Frontoffice", desks=[other_desk])


@pytest.fixture
def api():
    """``api(user)``: an API client logged in (with a real session) as ``user``; None: anonymous."""

    def make(user=None, **kwargs):
        client = APIClient(**kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return make


def count_queries(call):
    """Run ``call()`` and return its answer and the number of queries it made."""
    with CaptureQueriesContext(connection) as queries:
        response = call()
    return response, len(queries)


# Queries every API request makes before and after the endpoint's own: read the session, load
# the user, the user's own permissions and their groups' permissions (4); and save the session
# again, which every request does to renew the idle timeout (3: savepoint, update, release).
REQUEST_QUERIES = 3
# Writing one access-log row: the user's groups (the roles kept in the row) and the insert.
LOG_ROW_QUERIES = 1
