import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "schakelpunt_login_at"
SESSION_RENEWED_KEY = "schakelpunt_renewed_at"


def note_login(sender, request, user, **kwargs) -> None:
    """At login (whose session is saved anyway) note its time, so the next request need not write."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_RENEWED_KEY] = now


class SessionLifetimeMiddleware:
    """The idle and the absolute timeout of a logged-in session.

    Idle: the session ends ``SESSION_IDLE_TIMEOUT`` seconds (the cookie age) after it was last
    saved. Saving it on every request would cost a database write per page, so a request
    renews it only when ``SESSION_RENEW_AFTER`` seconds have passed since the last renewal: the
    session then ends at most that much earlier than the idle timeout after the last request,
    never later. Absolute: a fixed time after login, however active the user is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(SESSION_STARTED_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("Uw sessie is verlopen. Log opnieuw in."))
                return redirect_to_login(request.get_full_path())
            if now - session.get(SESSION_RENEWED_KEY, 0) >= settings.SESSION_RENEW_AFTER:
                session[SESSION_RENEWED_KEY] = now  # saved with a new expiry after the response
        return self.get_response(request)
