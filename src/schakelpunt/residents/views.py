"""The resident's page: personal data and the timeline of everything the desk did for them."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from schakelpunt.audit.services import access_log_read
from schakelpunt.contacts.models import Question
from schakelpunt.contacts.selectors import resident_timeline
from schakelpunt.core.access import permission_required
from schakelpunt.residents.forms import TimelineFilterForm
from schakelpunt.residents.models import Consent, Resident
from schakelpunt.residents.selectors import resident_get

SCOPE_LABELS = dict(Consent.Scope.choices)


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def _age(birth_date: datetime.date | None, today: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def _intake_url(resident: Resident) -> str | None:
    """The intake screen for a new contact with this resident, when it is installed."""
    try:
        return f"{reverse('contacts:intake')}?inwoner={resident.pk}"
    except NoReverseMatch:
        return None


@require_GET
@permission_required("residents.view_resident")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's page; an htmx request (filter, page) gets only the timeline fragment."""
    resident = resident_get(viewer=request.user, pk=pk)
    form = TimelineFilterForm(request.GET)
    timeline = resident_timeline(
        viewer=request.user,
        resident=resident,
        page=_page_number(request.GET.get("pagina")),
        **form.filters,
    )
    for entry in timeline.entries:
        if entry.kind == "consent":
            entry.obj.scope_labels = [SCOPE_LABELS.get(code, code) for code in entry.obj.scope]
    access_log_read(request=request, obj=resident, purpose="timeline")
    summary = []
    if domain := form.domain:
        summary.append(_("levensdomein %(domain)s") % {"domain": domain.name})
    if form.is_valid() and (status := form.cleaned_data.get("status")):
        summary.append(_("status %(status)s") % {"status": Question.Status(status).label.lower()})
    today = timezone.localdate()
    context = {
        "resident": resident,
        "form": form,
        "filtered": bool(summary),
        "filter_summary": summary,
        "timeline": timeline,
        "today": today,
    }
    fragment = request.htmx and not request.htmx.history_restore_request
    if fragment:
        template = "residents/detail.html#timeline"
    else:
        template = "residents/detail.html"
        user = request.user
        if user.has_perm("residents.view_representation"):
            context["representations"] = list(
                resident.representations.filter(
                    Q(valid_from__isnull=True) | Q(valid_from__lte=today),
                    Q(valid_until__isnull=True) | Q(valid_until__gte=today),
                )
                .select_related("representative")
                .order_by("kind", "pk")
            )
        if user.has_perm("residents.view_consent"):
            consents = list(
                resident.consents.filter(withdrawn_at__isnull=True).select_related("organisation")
            )
            for consent in consents:
                consent.scope_labels = [SCOPE_LABELS.get(code, code) for code in consent.scope]
            context["consents"] = consents
        context["age"] = _age(resident.birth_date, today)
        context["intake_url"] = _intake_url(resident)
    response = render(request, template, context)
    # The same address answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
