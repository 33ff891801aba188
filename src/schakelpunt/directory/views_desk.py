"""The social map at the desk: search, a service's page, and advice recorded on a question.

One view serves the page and its htmx fragment (``#results``): the search box asks for the
fragment as the employee types; without JavaScript the same form is an ordinary GET form,
and the address is shareable (it holds search words and filters, never personal data).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.contacts.selectors import question_get
from schakelpunt.core.access import permission_required
from schakelpunt.directory.forms_search import ServiceSearchForm
from schakelpunt.directory.models import Service, ServiceAdvice
from schakelpunt.directory.opening import describe_schedules
from schakelpunt.directory.selectors import service_detail as load_service
from schakelpunt.directory.selectors import service_page, service_search
from schakelpunt.directory.services import service_advice_add, service_advice_remove
from schakelpunt.organisations.models import District, Municipality
from schakelpunt.organisations.selectors import desks_visible_to

SEARCH_PARAMETERS = (
    "q",
    "categorie",
    "doelgroep",
    "gemeente",
    "wijk",
    "leeftijd",
    "gratis",
    "nu_open",
    "plek",
)


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def _region(user) -> tuple[list[Municipality], list[District]]:
    """The municipalities and districts of the desks the user works with."""
    municipalities = list(
        Municipality.objects.filter(desks__in=desks_visible_to(user)).distinct().order_by("name")
    )
    districts = list(
        District.objects.filter(municipality__in=[m.pk for m in municipalities])
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    return municipalities, districts


def search_querystring(data: QueryDict) -> str:
    """The search parameters of a request, without the page: for page links and redirects."""
    kept = QueryDict(mutable=True)
    for name in SEARCH_PARAMETERS:
        values = [value for value in data.getlist(name) if value]
        if values:
            kept.setlist(name, values[:1])
    return kept.urlencode()


def _search_context(request: HttpRequest) -> dict[str, Any]:
    municipalities, districts = _region(request.user)
    form = ServiceSearchForm(request.GET, municipalities=municipalities, districts=districts)
    page = service_page(service_search(**form.filters), page=_page_number(request.GET.get("pagina")))
    return {
        "form": form,
        "page": page,
        "querystring": search_querystring(request.GET),
        "searched": bool(form.filters["query"]) or form.is_filtered,
    }


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    response = render(request, template, context)
    if request.htmx:
        # The address bar shows the search without empty fields, so it can be shared.
        querystring = search_querystring(request.GET)
        page = request.GET.get("pagina")
        if page and page.isdigit() and page != "1":
            querystring = f"{querystring}&pagina={page}" if querystring else f"pagina={page}"
        response["HX-Push-Url"] = f"{request.path}?{querystring}" if querystring else request.path
    # The same address answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@permission_required("directory.view_service")
def search(request: HttpRequest) -> HttpResponse:
    """The desk's search; ``#results`` only for htmx (as-you-type, filters, pages)."""
    return _render(request, "directory/desk/search.html", _search_context(request))


def _edit_links(user, service: Service) -> dict[str, str]:
    """Links to the editing pages (another part of the social map), when installed and allowed."""
    if not Service.objects.editable_by(user).filter(pk=service.pk).exists():
        return {}
    links = {}
    for key, name in (("edit", "directory:service-edit"), ("history", "directory:service-history")):
        try:
            links[key] = reverse(name, kwargs={"pk": service.pk})
        except NoReverseMatch:
            continue
    return links


def service_context(service: Service) -> dict[str, Any]:
    """What a service's page shows, for the desk and the public guide alike."""
    locations = []
    for at_location in service.service_at_locations.all():
        location = at_location.location
        schedules = list(at_location.schedules.all()) or list(location.schedules.all())
        locations.append(
            {
                "location": location,
                "description": at_location.description,
                "addresses": list(location.addresses.all()),
                "accessibility": list(location.accessibility.all()),
                "phones": [*at_location.phones.all(), *location.phones.all()],
                "languages": list(location.languages.all()),
                "hours": describe_schedules(schedules),
            }
        )
    return {
        "service": service,
        "locations": locations,
        "hours": describe_schedules(service.schedules.all()),
        "phones": list(service.phones.all()),
        "contacts": list(service.contacts.all()),
        "cost_options": list(service.cost_options.all()),
        "languages": list(service.languages.all()),
        "areas": list(service.service_areas.all()),
    }


@require_GET
@permission_required("directory.view_service")
def service_detail(request: HttpRequest, pk) -> HttpResponse:
    service = load_service(pk=pk)
    context = service_context(service)
    context["edit_links"] = _edit_links(request.user, service)
    return render(request, "directory/desk/service_detail.html", context)


# --- Advice on a question -----------------------------------------------------------------------


def _advice_redirect(question_pk: int, data: QueryDict) -> HttpResponse:
    target = reverse("directory:question-advice", kwargs={"pk": question_pk})
    querystring = search_querystring(QueryDict(data.get("zoekopdracht", "")))
    return redirect(f"{target}?{querystring}" if querystring else target)


@require_http_methods(["GET", "POST"])
@permission_required("contacts.view_question", "directory.view_service", "directory.add_serviceadvice")
def question_advice(request: HttpRequest, pk: int) -> HttpResponse:
    """Search the social map for a question and record which services were advised.

    POST ``adviseer`` (a service id) adds an advice, ``verwijder`` takes one off; both go back
    to the same search. A question the user may not see is not found (404), as everywhere.
    """
    question = question_get(viewer=request.user, pk=pk)
    if request.method == "POST":
        if "verwijder" in request.POST:
            if not request.user.has_perm("directory.delete_serviceadvice"):
                raise PermissionDenied
            service = get_object_or_404(Service, pk=_uuid_or_404(request.POST["verwijder"]))
            if service_advice_remove(
                acting_user=request.user, question=question, service=service, request=request
            ):
                messages.success(request, _("Het advies ‘%(name)s’ is verwijderd.") % {"name": service.name})
        else:
            service = get_object_or_404(
                Service.objects.exclude(status=Service.Status.DEFUNCT),
                pk=_uuid_or_404(request.POST.get("adviseer", "")),
            )
            try:
                service_advice_add(
                    acting_user=request.user,
                    question=question,
                    service=service,
                    note=request.POST.get("toelichting", ""),
                    request=request,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("‘%(name)s’ is als advies vastgelegd.") % {"name": service.name})
        return _advice_redirect(question.pk, request.POST)
    context = _search_context(request)
    fragment = request.htmx and request.htmx.target == "results"
    if question.resident_id and not fragment:
        # The page shows the question, which is about a resident: each look is logged.
        access_log_record(
            acting_user=request.user,
            action=Action.READ,
            object_type="contacts.question",
            object_id=question.pk,
            request=request,
            purpose="advice",
            on_behalf_of=on_behalf_of_resident(question.resident_id),
        )
    advice = list(
        ServiceAdvice.objects.filter(question=question)
        .select_related("service__organization", "advised_by")
        .order_by("advised_at")
    )
    context.update(
        {
            "question": question,
            "advice": advice,
            "advised_ids": {item.service_id for item in advice},
            "may_remove": request.user.has_perm("directory.delete_serviceadvice"),
        }
    )
    return _render(request, "directory/desk/question_advice.html", context)


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None
