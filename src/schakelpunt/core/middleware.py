from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware import locale as django_locale
from django.utils import translation


class PermissionsPolicyMiddleware:
    """Switch off browser features the application never uses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class LocaleMiddleware(django_locale.LocaleMiddleware):
    """Dutch unless the user chose English: the browser's Accept-Language is not followed.

    Desk staff work in Dutch whatever language their browser is set to; English is an
    explicit choice (the language switch sets a cookie).
    """

    def process_request(self, request: HttpRequest) -> None:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
