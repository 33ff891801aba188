from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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
