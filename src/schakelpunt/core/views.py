from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from schakelpunt.core.access import authenticated, public
from schakelpunt.organisations.selectors import desks_for_user


@require_GET
@never_cache
@public("monitoring must reach it without an account; it reveals no data")
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": database}, status=status)


@require_GET
@authenticated
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"desks": desks_for_user(request.user)})


@require_GET
@public("the site icon")
def favicon(request: HttpRequest) -> HttpResponse:
    """Pages that link no icon (the admin site's) make browsers ask for /favicon.ico.

    The static URL is looked up per request: under production settings it carries a content
    hash from the manifest, which does not exist yet when the URLs are imported.
    """
    return redirect(static("img/schakelpunt.svg"), permanent=True)
