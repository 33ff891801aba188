"""One transaction per request, so a page's access-log row and its session land in one commit."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse


class RequestTransactionMiddleware:
    """Run the request, saving the session included, in one database transaction.

    A page that shows personal data writes an access-log row; without this, in autocommit, the
    row is a transaction of its own and a saved session a second one, and each commit waits for
    the write-ahead log to reach the disk. Inside one transaction the page commits once, with
    the same durability. Placed before the session middleware, so the session is saved inside.

    Only where ``REQUEST_TRANSACTION`` is on (PostgreSQL; on SQLite a transaction takes the
    write lock at its start, which would make every request wait for every other), for requests
    with a session (those of logged-in users, who read personal data; the health check and the
    public pages stay in autocommit, and the health check can still answer that the database is
    down), and not inside a transaction that is open already (tests run in one). An error the
    view turns into an error page commits what was written before it, as autocommit did: a
    refused read is logged too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not settings.REQUEST_TRANSACTION
            or settings.SESSION_COOKIE_NAME not in request.COOKIES
            or connection.in_atomic_block
        ):
            return self.get_response(request)
        with transaction.atomic():
            return self.get_response(request)
