"""One transaction per request: the access-log row and the session of a page commit together."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory

from schakelpunt.audit.middleware import RequestTransactionMiddleware
from schakelpunt.audit.models import AccessLog
from schakelpunt.audit.services import access_log_record


def with_session(**kwargs):
    request = RequestFactory().get("/", **kwargs)
    request.COOKIES[django_settings.SESSION_COOKIE_NAME] = "a-session-key"
    return request


def test_the_transaction_wraps_the_session_middleware():
    middleware = django_settings.MIDDLEWARE
    assert middleware.index("schakelpunt.audit.middleware.RequestTransactionMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )


@pytest.mark.django_db(transaction=True)
def test_the_request_runs_in_one_transaction(settings):
    settings.REQUEST_TRANSACTION = True
    seen = {}

    def view(request):
        seen["atomic"] = connection.in_atomic_block
        access_log_record(acting_user=None, action="read", object_type="x.y", object_id=1)
        return HttpResponse("ok")

    RequestTransactionMiddleware(view)(with_session())
    assert seen["atomic"]
    assert connection.get_autocommit()  # back in autocommit afterwards
    assert AccessLog.objects.filter(object_type="x.y").count() == 1  # committed


@pytest.mark.django_db(transaction=True)
def test_a_refused_read_is_committed_with_its_error_page(settings):
    settings.REQUEST_TRANSACTION = True

    def view(request):
        access_log_record(acting_user=None, action="read", object_type="x.y", result="refused")
        return HttpResponseNotFound()  # what Django makes of Http404 inside the middleware

    assert RequestTransactionMiddleware(view)(with_session()).status_code == 404
    assert AccessLog.objects.filter(object_type="x.y", result="refused").count() == 1


@pytest.mark.django_db(transaction=True)
def test_without_the_setting_the_request_runs_in_autocommit(settings):
    settings.REQUEST_TRANSACTION = False
    seen = {}

    def view(request):
        seen["atomic"] = connection.in_atomic_block
        return HttpResponse("ok")

    RequestTransactionMiddleware(view)(with_session())
    assert not seen["atomic"]


@pytest.mark.django_db(transaction=True)
def test_a_request_without_a_session_runs_in_autocommit(settings):
    """The health check and the public pages: nothing to log, and a database that is down."""
    settings.REQUEST_TRANSACTION = True
    seen = {}

    def view(request):
        seen["atomic"] = connection.in_atomic_block
        return HttpResponse("ok")

    RequestTransactionMiddleware(view)(RequestFactory().get("/"))
    assert not seen["atomic"]


def test_it_is_on_for_postgresql_only():
    on_postgresql = connection.vendor == "postgresql"
    assert django_settings.REQUEST_TRANSACTION is on_postgresql
