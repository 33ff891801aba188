import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "schakelpunt_login_at"


class SessionLifetimeMiddleware:
    """End a session a fixed time after login, however active the user is.

    The idle timeout comes from the session cookie age (renewed on every request); this
    middleware adds the absolute limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("Uw sessie is verlopen. Log opnieuw in."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
