"""The resident search of the intake screen: as-you-type with htmx, and a page without JavaScript.

The query travels in the body of a POST, never in the address: names, birth dates and BSNs
stay out of URLs, browser history and server logs (the BRP API does the same for its
searches). Each search writes one access-log row and reads no resident in full: a resident
counts as read only when someone opens it from the results (the intake screen does that).
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.core.access import permission_required
from schakelpunt.residents.forms import ResidentSearchForm
from schakelpunt.residents.models import Resident
from schakelpunt.residents.selectors import SEARCH_LIMIT, parse_query, resident_search

BSN_LIKE = re.compile(r"(?<!\d)\d{8,9}(?!\d)")


def _search(request: HttpRequest, form: ResidentSearchForm) -> tuple[list[Resident], str]:
    """The residents found and what to tell the employee about them."""
    if not form.data.get("q", "").strip():
        return [], ""  # an emptied search field: nothing to find, nothing to say
    if not form.is_valid():
        return [], " ".join(form.errors.get("q", []))
    text = form.cleaned_data["q"]
    query = parse_query(text)
    if query.invalid_date:
        return [], _(
            "Deze datum bestaat niet. Schrijf een geboortedatum als dd-mm-jjjj, bijvoorbeeld 12-03-1948."
        )
    if not query.bsn and BSN_LIKE.search(text):
        # Eight or nine digits that fail the eleven-test: most likely a mistyped BSN.
        return [], _("Dit is geen geldig BSN: een BSN heeft 9 cijfers en voldoet aan de elfproef.")
    if query.is_empty:
        return [], _(
            "Typ ten minste twee letters van de naam, een geboortedatum, "
            "een postcode met huisnummer of een BSN."
        )
    residents = resident_search(viewer=request.user, query=query)
    # One row for the search itself; the query text is not logged (it may hold a BSN).
    access_log_record(
        acting_user=request.user,
        action=Action.SEARCH,
        object_type="residents.resident",
        request=request,
        purpose="intake",
    )
    if query.bsn and not request.user.has_perm("residents.can_view_bsn"):
        return [], _(
            "Zoeken op BSN kan alleen als u het BSN mag zien. Zoek op naam en geboortedatum, "
            "of op postcode en huisnummer."
        )
    if not residents:
        return [], _("Geen inwoners gevonden.")
    if len(residents) >= SEARCH_LIMIT:
        return residents, _(
            "De eerste %(count)s inwoners. Staat de juiste er niet bij? Maak de zoekopdracht preciezer, "
            "bijvoorbeeld met de geboortedatum."
        ) % {"count": SEARCH_LIMIT}
    count = len(residents)
    return residents, ngettext("%(count)s inwoner gevonden.", "%(count)s inwoners gevonden.", count) % {
        "count": count
    }


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("residents.view_resident")
def search(request: HttpRequest) -> HttpResponse:
    """GET: the empty search page. POST: the results, as a fragment for htmx or as a page."""
    form = ResidentSearchForm(request.POST if request.method == "POST" else None)
    residents, message = _search(request, form) if form.is_bound else ([], "")
    context = {
        "form": form,
        "residents": residents,
        "message": message,
        "can_view_bsn": request.user.has_perm("residents.can_view_bsn"),
    }
    template = "residents/search.html#results" if request.htmx else "residents/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
