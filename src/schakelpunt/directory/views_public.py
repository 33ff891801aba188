"""The public guide (wegwijzer): the social map for residents, without logging in.

Search and browse by category, and one page per service with where, when and how. Only
active and temporarily closed services show; nothing on these pages is personal data. The
pages work without JavaScript (plain GET forms and links); htmx only swaps the results.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from schakelpunt.core.access import public
from schakelpunt.directory.forms_search import ServiceSearchForm
from schakelpunt.directory.models import Taxonomy
from schakelpunt.directory.selectors import category_counts, service_page, service_search, term_choices
from schakelpunt.directory.selectors import service_detail as load_service
from schakelpunt.directory.views_desk import _page_number, _render, search_querystring, service_context

REASON = "The public guide shows the social map to residents: services of organisations, no personal data."


@require_GET
@public(REASON)
def guide(request: HttpRequest) -> HttpResponse:
    """The start page: the search box and the top-level categories; with words, the results."""
    terms = term_choices()
    form = ServiceSearchForm(request.GET, terms=terms, public=True)
    filters = form.filters
    searched = bool(filters["query"] or filters["category"] or filters["free"])
    context = {"form": form, "searched": searched, "querystring": search_querystring(request.GET)}
    if searched:
        context["page"] = service_page(
            service_search(
                query=filters["query"], category=filters["category"], free=filters["free"], public=True
            ),
            page=_page_number(request.GET.get("pagina")),
        )
    else:
        context["categories"] = category_counts(public=True, choices=terms)
    return _render(request, "directory/public/guide.html", context)


@require_GET
@public(REASON)
def guide_category(request: HttpRequest, pk) -> HttpResponse:
    """A category: its subcategories with their numbers, and its services."""
    terms = term_choices()
    term = terms.by_id.get(str(pk))
    if term is None or term.taxonomy_detail.facet != Taxonomy.Facet.CATEGORY:
        raise Http404
    ancestors = [terms.by_id[str(ancestor)] for ancestor in reversed(terms.ancestors(term.pk)[1:])]
    page = service_page(
        service_search(category=term, public=True), page=_page_number(request.GET.get("pagina"))
    )
    context = {
        "term": term,
        "ancestors": ancestors,
        "subcategories": category_counts(parent=term, public=True, choices=terms),
        "page": page,
        "querystring": "",
    }
    return _render(request, "directory/public/category.html", context)


@require_GET
@public(REASON)
def guide_service(request: HttpRequest, pk) -> HttpResponse:
    service = load_service(pk=pk, public=True)
    return _render(request, "directory/public/service.html", service_context(service))
