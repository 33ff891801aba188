"""Keeping the social map current: the manage list, adding and editing a service, confirming
its details, its capacity, and its history.

Every page needs ``directory.change_service``; which services a user reaches is decided by
``Service.objects.editable_by(user)``: a partner gets the same 404 for another organisation's
service as for one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakelpunt.core.access import permission_required
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.directory.defaults import CATEGORY_TERMS
from schakelpunt.directory.forms import (
    CapacityForm,
    ManageFilterForm,
    ScheduleFormSet,
    ServiceForm,
    schedule_initial,
)
from schakelpunt.directory.models import Organization, Schedule, Service, Taxonomy
from schakelpunt.directory.selectors import is_stale, term_choices
from schakelpunt.directory.services import (
    organizations_editable_by,
    service_capacity_update,
    service_confirm,
    service_create,
    service_update,
    weekly_schedules,
)

EDIT = "directory.change_service"
STALE = "te-controleren"
# Fields of the history that say nothing to a reader (the version, timestamps).
HISTORY_HIDDEN = ["version", "created_at", "updated_at", "last_modified"]


def _editable(user, pk) -> Service:
    return get_object_or_404(Service.objects.editable_by(user).select_related("organization"), pk=pk)


def _next_or(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


# --- The manage list ----------------------------------------------------------------------------


@require_GET
@permission_required(EDIT)
def manage(request: HttpRequest) -> HttpResponse:
    """ "Mijn diensten" (a partner) or all services (the functional administrator), and the list
    of services to be checked, oldest confirmation first. Filters and pages as GET parameters."""
    user = request.user
    form = ManageFilterForm(request.GET or None, user=user)
    filters = form.filters if form.is_bound else {}
    services = Service.objects.editable_by(user).select_related("organization")
    if filters.get("q"):
        services = services.filter(
            Q(name__icontains=filters["q"]) | Q(alternate_name__icontains=filters["q"])
        )
    if filters.get("aanbieder"):
        services = services.filter(organization=filters["aanbieder"])
    if filters.get("status"):
        services = services.filter(status=filters["status"])
    if filters.get("capaciteit"):
        services = services.filter(capacity=filters["capaciteit"])
    stale = services.stale().order_by(F("assured_date").asc(nulls_first=True), "name", "pk")
    current = STALE if request.GET.get("lijst") == STALE else "alle"
    listed = stale if current == STALE else services.order_by("name", "pk")
    page = Paginator(listed, settings.DIRECTORY_PAGE_SIZE).get_page(request.GET.get("pagina"))
    page.object_list = list(page.object_list)
    today = timezone.localdate()
    for service in page.object_list:
        service.stale = is_stale(service, today)
    everything = user.has_perm("directory.change_any_service")
    tabs = [
        {
            "slug": "alle",
            "title": _("Alle diensten") if everything else _("Mijn diensten"),
            "count": page.paginator.count if current == "alle" else services.count(),
            "current": current == "alle",
        },
        {
            "slug": STALE,
            "title": _("Te controleren"),
            "count": page.paginator.count if current == STALE else stale.count(),
            "current": current == STALE,
        },
    ]
    organizations = [] if everything else list(organizations_editable_by(user).order_by("name"))
    context = {
        "form": form,
        "page": page,
        "tabs": tabs,
        "current": current,
        "everything": everything,
        "organizations": organizations,
        "stale_after_days": settings.DIRECTORY_STALE_AFTER_DAYS,
    }
    template = "directory/edit/manage.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


# --- Adding and editing -------------------------------------------------------------------------


def _term_groups(form: ServiceForm) -> dict[str, Any]:
    """The category checkboxes grouped by main category, and the target groups, with what is
    ticked now (from the submitted form or the service)."""
    choices = term_choices()
    # Main categories in the order of the seed (Wonen, Zorg, Welzijn, ...), then any others.
    order = {code: index for index, (code, _name, _description) in enumerate(CATEGORY_TERMS)}
    categories = sorted(
        choices.categories, key=lambda group: (order.get(group[0].code, len(order)), group[0].name)
    )
    chosen = {str(value) for value in (form["categories"].value() or [])}
    chosen |= {str(value) for value in (form["target_groups"].value() or [])}
    groups = [
        {
            "top": top,
            "terms": [
                {"term": term, "checked": str(term.pk) in chosen}
                for term in [top, *sorted(children, key=lambda t: (order.get(t.code, len(order)), t.name))]
            ],
        }
        for top, children in categories
    ]
    target_groups = [{"term": term, "checked": str(term.pk) in chosen} for term in choices.target_groups]
    return {"category_groups": groups, "target_group_terms": target_groups}


def _edit_context(form: ServiceForm, formset, service: Service | None) -> dict[str, Any]:
    context = {"form": form, "formset": formset, "service": service, **_term_groups(form)}
    if service is not None:
        managed = {schedule.pk for schedule in weekly_schedules(service)}
        context["other_schedules"] = [
            schedule
            for schedule in Schedule.objects.filter(service=service).order_by("created_at")
            if schedule.pk not in managed
        ]
        context["capacity_form"] = CapacityForm(
            initial={"capacity": service.capacity, "wait_band": service.capacity_wait_band}
        )
        context["stale"] = is_stale(service)
    return context


def _kept_terms(service: Service) -> list:
    """Terms of other taxonomies (from an import): the form does not offer them, they stay."""
    facets = [Taxonomy.Facet.CATEGORY, Taxonomy.Facet.TARGET_GROUP]
    return list(service.terms.exclude(taxonomy_detail__facet__in=facets))


@require_http_methods(["GET", "POST"])
@permission_required(EDIT)
def service_add(request: HttpRequest) -> HttpResponse:
    """A new service for an organisation whose services the user keeps."""
    if not organizations_editable_by(request.user).exists():
        return render(request, "directory/edit/no_organization.html")
    if request.method == "POST":
        form = ServiceForm(request.POST, user=request.user)
        formset = ScheduleFormSet(request.POST, prefix="uren")
        if form.is_valid() and formset.is_valid():
            try:
                service = service_create(
                    acting_user=request.user,
                    organization=form.cleaned_data["organization"],
                    data={**form.changes(), "schedules": formset.rows()},
                )
            except PermissionDenied:
                form.add_error("organization", _("U kunt geen diensten toevoegen voor deze aanbieder."))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("De dienst is toegevoegd aan de sociale kaart."))
                return redirect("directory:service-edit", pk=service.pk)
    else:
        form = ServiceForm(user=request.user, initial={"status": Service.Status.ACTIVE})
        formset = ScheduleFormSet(prefix="uren")
    return render(request, "directory/edit/service_form.html", _edit_context(form, formset, None))


@require_http_methods(["GET", "POST"])
@permission_required(EDIT)
def service_edit(request: HttpRequest, pk) -> HttpResponse:
    """Edit with optimistic locking: when someone else saved in between, nothing is saved and
    the page says who and when, keeping what the user typed."""
    service = _editable(request.user, pk)
    conflict = None
    if request.method == "POST":
        form = ServiceForm(request.POST, user=request.user, service=service)
        formset = ScheduleFormSet(request.POST, prefix="uren")
        if form.is_valid() and formset.is_valid():
            opened = form.cleaned_data["version"]
            try:
                saved = service_update(
                    acting_user=request.user,
                    service=service,
                    expected_version=opened,
                    data={**form.changes(kept_terms=_kept_terms(service)), "schedules": formset.rows()},
                )
            except ConflictError as error:
                form.add_error(None, str(error))
                conflict = {"latest": service.history.select_related("history_user").first()}
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if saved.version == opened:
                    messages.info(request, _("Er was niets gewijzigd."))
                else:
                    messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return redirect("directory:service-edit", pk=service.pk)
    else:
        initial = {name: getattr(service, name) for name in ServiceForm.base_fields if hasattr(service, name)}
        terms = list(service.terms.select_related("taxonomy_detail"))
        initial.update(
            {
                "version": service.version,
                "categories": [t.pk for t in terms if t.facet == Taxonomy.Facet.CATEGORY],
                "target_groups": [t.pk for t in terms if t.facet == Taxonomy.Facet.TARGET_GROUP],
                "municipalities": list(
                    service.service_areas.filter(
                        municipality__isnull=False, district__isnull=True
                    ).values_list("municipality_id", flat=True)
                ),
                "confirm": True,
            }
        )
        form = ServiceForm(initial=initial, user=request.user, service=service)
        formset = ScheduleFormSet(initial=schedule_initial(weekly_schedules(service)), prefix="uren")
    context = _edit_context(form, formset, service)
    context["conflict"] = conflict
    return render(request, "directory/edit/service_form.html", context)


@require_POST
@permission_required(EDIT)
def service_confirm_view(request: HttpRequest, pk) -> HttpResponse:
    """One click: "Gegevens kloppen nog"."""
    service = _editable(request.user, pk)
    service_confirm(acting_user=request.user, service=service)
    messages.success(
        request, _("Bevestigd: de gegevens van ‘%(name)s’ kloppen nog.") % {"name": service.name}
    )
    return redirect(_next_or(request, reverse("directory:service-edit", args=[service.pk])))


@require_POST
@permission_required(EDIT)
def service_capacity(request: HttpRequest, pk) -> HttpResponse:
    service = _editable(request.user, pk)
    form = CapacityForm(request.POST)
    target = _next_or(request, reverse("directory:service-edit", args=[service.pk]))
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect(target)
    try:
        saved = service_capacity_update(
            acting_user=request.user,
            service=service,
            capacity=form.cleaned_data["capacity"],
            wait_band=form.cleaned_data["wait_band"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        label = saved.get_capacity_display()
        if saved.capacity_wait_band:
            label = f"{label} ({saved.get_capacity_wait_band_display()})"
        messages.success(
            request,
            _("De capaciteit van ‘%(name)s’ is bijgewerkt: %(capacity)s.")
            % {"name": saved.name, "capacity": label},
        )
    return redirect(target)


# --- History ------------------------------------------------------------------------------------

YES_NO = {True: gettext_lazy("ja"), False: gettext_lazy("nee")}


def _display(field: str, value: Any, organizations: dict) -> str:
    if value in ("", None):
        return "—"
    model_field = Service._meta.get_field(field)
    if field == "organization":
        return organizations.get(value, str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(YES_NO[value])
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _history_rows(service: Service) -> list[dict[str, Any]]:
    """Each history record with what changed since the one before, newest first."""
    records = list(service.history.select_related("history_user").order_by("-history_date", "-history_id"))
    org_ids = {record.organization_id for record in records if record.organization_id}
    organizations = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    rows = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        fields = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=HISTORY_HIDDEN)
            for change in sorted(
                delta.changes, key=lambda c: [f.name for f in Service._meta.fields].index(c.field)
            ):
                fields.append(
                    {
                        "label": capfirst(Service._meta.get_field(change.field).verbose_name),
                        "before": _display(change.field, change.old, organizations),
                        "after": _display(change.field, change.new, organizations),
                    }
                )
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": record.history_type,
                "fields": fields,
                "reason": record.history_change_reason or "",
            }
        )
    return rows


@require_GET
@permission_required(EDIT)
def service_history(request: HttpRequest, pk) -> HttpResponse:
    service = _editable(request.user, pk)
    page = Paginator(_history_rows(service), 25).get_page(request.GET.get("pagina"))
    return render(request, "directory/edit/history.html", {"service": service, "page": page})
