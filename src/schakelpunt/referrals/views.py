"""Referral pages: refer a question, the desk's list, the partner's inbox, one referral."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.contacts.selectors import question_get
from schakelpunt.core.access import permission_required
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.referrals import workflow
from schakelpunt.referrals.forms import ReferralForm, TransitionForm
from schakelpunt.referrals.models import Referral
from schakelpunt.referrals.selectors import (
    DESK_TABS,
    INBOX_TABS,
    desk_referrals,
    moves_for,
    referral_get,
    side_of,
    tab_counts,
)
from schakelpunt.referrals.selectors import inbox as inbox_list
from schakelpunt.referrals.services import referral_create, referral_transition

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
@permission_required("contacts.view_question", "referrals.add_referral")
def referral_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_get(viewer=request.user, pk=pk)
    form = ReferralForm(request.POST or None, question=question, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_create(
                acting_user=request.user,
                question=question,
                organisation=data["organisation"],
                service=data["service"],
                reason=data["reason"],
                resident_wishes=data["resident_wishes"],
                urgency=data["urgency"],
                consent=data.get("consent"),
                warm_handover=data["warm_handover"],
                shared_data=data["shared_data"],
                request=request,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Verwezen naar %(organisation)s. Accepteren uiterlijk %(date)s.")
                % {"organisation": referral.organisation, "date": referral.due_accept.strftime("%d-%m-%Y")},
            )
            return redirect("referrals:detail", pk=referral.pk)
    if question.resident_id:
        access_log_record(
            acting_user=request.user,
            action=Action.READ,
            object_type="contacts.question",
            object_id=question.pk,
            request=request,
            purpose="referral",
            on_behalf_of=on_behalf_of_resident(question.resident_id),
        )
    return render(request, "referrals/create.html", {"question": question, "form": form})


def _tabbed_list(request: HttpRequest, queryset, tabs, template: str, purpose: str) -> HttpResponse:
    current = next((tab for tab in tabs if tab.slug == request.GET.get("lijst")), tabs[0])
    counts = tab_counts(queryset, tabs)
    # The page's keys first, without joins, so the database sorts and limits the tab's referrals
    # alone and joins residents, consents, services and desks for one page only.
    paginator = Paginator(current.filter(queryset).values_list("pk", flat=True), PAGE_SIZE)
    paginator.count = counts[current.slug]  # known already: no second count
    page = paginator.get_page(request.GET.get("pagina"))
    keys = list(page.object_list)
    found = queryset.in_bulk(keys)
    page.object_list = [found[pk] for pk in keys if pk in found]
    today = timezone.localdate()
    for referral in page.object_list:
        referral.scope = referral.visible_scope()
        referral.overdue = referral.is_overdue(today)
    tab_links = [
        {"slug": tab.slug, "title": tab.title, "count": counts[tab.slug], "current": tab is current}
        for tab in tabs
    ]
    access_log_record(
        acting_user=request.user,
        action=Action.SEARCH,
        object_type="referrals.referral",
        request=request,
        purpose=purpose,
    )
    return render(request, template, {"current": current, "tabs": tab_links, "page": page})


@require_GET
@permission_required("referrals.work_referral")
def inbox(request: HttpRequest) -> HttpResponse:
    """The partner's inbox: only referrals to their own organisation."""
    return _tabbed_list(request, inbox_list(viewer=request.user), INBOX_TABS, "referrals/inbox.html", "inbox")


@require_GET
@permission_required("referrals.view_referral", "referrals.add_referral")
def desk_list(request: HttpRequest) -> HttpResponse:
    return _tabbed_list(
        request, desk_referrals(viewer=request.user), DESK_TABS, "referrals/desk_list.html", "referral"
    )


def _render_detail(request: HttpRequest, referral: Referral, failed_form=None, status=200) -> HttpResponse:
    side = side_of(request.user, referral)
    scope = referral.visible_scope() if side == "partner" else None
    forms = []
    for move in moves_for(side, referral):
        if failed_form is not None and failed_form.data.get("to_status") == move:
            form = failed_form
        else:
            form = TransitionForm(initial={"to_status": move, "version": referral.version}, moves=[move])
        forms.append(
            {
                "move": move,
                "label": workflow.TRANSITION_LABELS[move],
                "form": form,
                "needs_reason": move in workflow.NEEDS_REASON,
                "needs_outcome": move in workflow.NEEDS_OUTCOME,
                "open": form is failed_form,
            }
        )
    access_log_record(
        acting_user=request.user,
        action=Action.READ,
        object_type="referrals.referral",
        object_id=referral.pk,
        request=request,
        purpose="inbox" if side == "partner" else "referral",
        on_behalf_of=on_behalf_of_resident(referral.resident_id),
    )
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "side": side,
            "scope": scope,
            "forms": forms,
            "history": referral.status_history.select_related("changed_by"),
            "overdue": referral.is_overdue(),
            "current_due": referral.current_due_date(),
        },
        status=status,
    )


@require_GET
@permission_required("referrals.view_referral")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, referral_get(viewer=request.user, pk=pk))


@require_POST
@permission_required("referrals.view_referral")
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_get(viewer=request.user, pk=pk)
    moves = moves_for(side_of(request.user, referral), referral)
    if not moves:
        raise PermissionDenied
    chosen = request.POST.get("to_status")
    form = TransitionForm(request.POST, moves=[chosen] if chosen in moves else moves)
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = referral_transition(
                acting_user=request.user,
                referral=referral,
                to_status=data["to_status"],
                reason=data["reason"],
                note=data["note"],
                outcome=data["outcome"],
                expected_version=data["version"],
                request=request,
            )
        except ConflictError as error:
            messages.error(request, str(error))
            return redirect("referrals:detail", pk=referral.pk)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("De verwijzing staat nu op: %(status)s.") % {"status": updated.get_status_display()},
            )
            return redirect("referrals:detail", pk=referral.pk)
    return _render_detail(request, referral, failed_form=form, status=400)
