"""The work on questions: work lists, the question page, editing a question, finishing a follow-up."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.contacts.forms_work import FollowUpDoneForm, QuestionEditForm
from schakelpunt.contacts.models import FollowUp, LifeDomain, Question
from schakelpunt.contacts.selectors import (
    closed_today,
    desk_open_questions,
    my_follow_ups,
    my_open_questions,
    question_get,
)
from schakelpunt.contacts.services import follow_up_complete, question_update
from schakelpunt.core.access import permission_required
from schakelpunt.core.exceptions import ConflictError

PAGE_SIZE = 25
# The tabs count their rows up to this number and show more as "99+": a count of every open
# question of a large desk on every page would read them all each time.
COUNT_CAP = 99


@dataclass(frozen=True)
class WorkList:
    slug: str  # the value of ?lijst= in the address
    title: Any
    selector: Callable[..., QuerySet]
    empty: Any
    follow_ups: bool = False


WORK_LISTS = [
    WorkList(
        "mijn-vragen",
        gettext_lazy("Mijn open vragen"),
        my_open_questions,
        gettext_lazy("U heeft geen open vragen. Goed bezig!"),
    ),
    WorkList(
        "mijn-opvolgingen",
        gettext_lazy("Mijn opvolgingen"),
        my_follow_ups,
        gettext_lazy("U heeft geen geplande opvolgingen."),
        follow_ups=True,
    ),
    WorkList(
        "loket",
        gettext_lazy("Open vragen van het loket"),
        desk_open_questions,
        gettext_lazy("Er staan geen open vragen bij uw loket(ten)."),
    ),
    WorkList(
        "vandaag-afgesloten",
        gettext_lazy("Vandaag afgesloten"),
        closed_today,
        gettext_lazy("Vandaag is nog geen vraag afgesloten."),
    ),
]


def capped_count(queryset: QuerySet, cap: int) -> int:
    """The number of rows, counted up to ``cap + 1`` (one query that stops there)."""
    return queryset.order_by().values("pk")[: cap + 1].count()


def _shown(count: int, cap: int) -> str:
    return f"{cap}+" if count > cap else str(count)


def _tab_count(queryset: QuerySet) -> str:
    return _shown(capped_count(queryset, COUNT_CAP), COUNT_CAP)


@dataclass
class WorkPage:
    """One page of a work list, counted only as far as the next few pages (see COUNT_CAP)."""

    object_list: list
    number: int
    has_next: bool
    count: str  # "12", or "99+" when there are more than the counted rows
    num_pages: str  # "3", or "4+"

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _work_page(queryset: QuerySet, number: Any) -> WorkPage:
    """The requested page (the first for a wrong number, the last for one beyond the end)."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    cap = (number - 1) * PAGE_SIZE + max(COUNT_CAP, PAGE_SIZE)  # this page and about three more
    counted = capped_count(queryset, cap)
    exact = counted <= cap
    if exact:
        number = min(number, max(math.ceil(counted / PAGE_SIZE), 1))
    start = (number - 1) * PAGE_SIZE
    rows = list(queryset[start : start + PAGE_SIZE]) if counted else []
    pages = max(math.ceil(counted / PAGE_SIZE), 1)
    return WorkPage(
        object_list=rows,
        number=number,
        has_next=counted > start + PAGE_SIZE,
        count=_shown(counted, cap),
        num_pages=str(pages) if exact else f"{pages}+",
    )


def _log_question_read(request: HttpRequest, question: Question) -> None:
    """A question about a resident is personal data: each look at it is logged."""
    if question.resident_id:
        access_log_record(
            acting_user=request.user,
            action=Action.READ,
            object_type="contacts.question",
            object_id=question.pk,
            request=request,
            purpose="question",
            on_behalf_of=on_behalf_of_resident(question.resident_id),
        )


@require_GET
@permission_required("contacts.view_question")
def work(request: HttpRequest) -> HttpResponse:
    """Four work lists as tabs with real links (?lijst=...), each paginated by 25."""
    current = next((wl for wl in WORK_LISTS if wl.slug == request.GET.get("lijst")), WORK_LISTS[0])
    querysets = {wl.slug: wl.selector(viewer=request.user) for wl in WORK_LISTS}
    page = _work_page(querysets[current.slug], request.GET.get("pagina"))
    today = timezone.localdate()
    for row in page.object_list:
        if isinstance(row, FollowUp):
            row.days_overdue = (today - row.due_date).days
        else:
            row.days_open = (today - timezone.localtime(row.created_at).date()).days
    tabs = [
        {
            "slug": wl.slug,
            "title": wl.title,
            "count": page.count if wl is current else _tab_count(querysets[wl.slug]),
            "current": wl is current,
        }
        for wl in WORK_LISTS
    ]
    # The lists show residents' names and questions: one row per look, as for a search.
    access_log_record(
        acting_user=request.user,
        action=Action.SEARCH,
        object_type="contacts.question",
        request=request,
        purpose="worklist",
    )
    return render(
        request,
        "contacts/work.html",
        {"current": current, "tabs": tabs, "page": page, "today": today},
    )


def _display(field: str, value: Any, domain_names: dict[str, str], users: dict[int, Any]) -> str:
    if value in ("", None, []):
        return "—"
    if field == "domains":
        return ", ".join(domain_names.get(code, code) for code in value)
    if field == "assigned_to":
        user = users.get(value)
        return (user.get_full_name() or user.get_username()) if user else str(value)
    model_field = Question._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _history(question: Question) -> list[dict]:
    """The question's changes, newest first, as labels and before/after values.

    Health notes are never in the history (the service stores "…"); the page only says
    that they changed.
    """
    changes = list(question.changes.select_related("changed_by"))
    codes: set[str] = set()
    user_ids: set[int] = set()
    for change in changes:
        before, after = change.fields.get("domains", [[], []])
        codes.update(before, after)
        if "assigned_to" in change.fields:
            user_ids.update(value for value in change.fields["assigned_to"] if value)
    domain_names = (
        dict(LifeDomain.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    )
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    rows = []
    for change in changes:
        fields = []
        for name, (before, after) in change.fields.items():
            label = capfirst(Question._meta.get_field(name).verbose_name)
            if name == "health_notes":
                fields.append({"label": label, "hidden": True})
            else:
                fields.append(
                    {
                        "label": label,
                        "before": _display(name, before, domain_names, users),
                        "after": _display(name, after, domain_names, users),
                    }
                )
        rows.append({"when": change.changed_at, "who": change.changed_by, "fields": fields})
    return rows


@require_GET
@permission_required("contacts.view_question")
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_get(viewer=request.user, pk=pk)
    _log_question_read(request, question)
    today = timezone.localdate()
    follow_ups = list(question.follow_ups.select_related("assigned_to").order_by("-due_date", "-pk"))
    for follow_up in follow_ups:
        follow_up.days_overdue = (today - follow_up.due_date).days
    return render(
        request,
        "contacts/question_detail.html",
        {
            "question": question,
            "days_open": (today - timezone.localtime(question.created_at).date()).days,
            "follow_ups": follow_ups,
            "history": _history(question),
            "referrals": question.referrals.select_related("organisation", "service").order_by("-created_at"),
            "may_edit": request.user.has_perm("contacts.change_question"),
            "may_complete": request.user.has_perm("contacts.change_followup"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("contacts.view_question", "contacts.change_question")
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit with optimistic locking: the form carries the version it was opened at.

    When someone else saved in between, the service refuses the save; the page says so at the
    top, keeps what the employee typed on screen (to copy over into the new version) and
    nothing is saved.
    """
    question = question_get(viewer=request.user, pk=pk)
    conflict = None
    if request.method == "POST":
        form = QuestionEditForm(request.POST, user=request.user)
        if form.is_valid():
            opened = form.cleaned_data["version"]
            try:
                saved = question_update(
                    acting_user=request.user,
                    question=question,
                    expected_version=opened,
                    data=form.changes,
                    request=request,
                )
            except ConflictError as error:
                form.add_error(None, str(error))
                conflict = {"latest": question.changes.select_related("changed_by").first()}
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if saved.version == opened:
                    messages.info(request, _("Er was niets gewijzigd."))
                else:
                    messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return redirect("contacts:question", pk=question.pk)
    else:
        initial = {
            name: getattr(question, name)
            for name in QuestionEditForm.base_fields
            if name not in ("version", "domains")
        }
        form = QuestionEditForm(
            initial={**initial, "version": question.version, "domains": list(question.domains.all())},
            user=request.user,
        )
    _log_question_read(request, question)
    return render(
        request,
        "contacts/question_edit.html",
        {"question": question, "form": form, "conflict": conflict},
    )


def _follow_up_for(user, pk: int) -> FollowUp:
    """A follow-up of a question the user may see; otherwise the same 404 as for a missing one."""
    visible = Question.objects.visible_to(user).values("pk")
    try:
        return FollowUp.objects.select_related("question").get(pk=pk, question__in=visible)
    except FollowUp.DoesNotExist:
        raise Http404 from None


@require_POST
@permission_required("contacts.view_question", "contacts.change_followup")
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up_for(request.user, pk)
    form = FollowUpDoneForm(request.POST)
    target = f"{reverse('contacts:work')}?lijst=mijn-opvolgingen"
    if form.is_valid():
        wanted = form.cleaned_data["next"]
        if wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = wanted
        try:
            follow_up_complete(
                acting_user=request.user,
                follow_up=follow_up,
                result=form.cleaned_data["result"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De opvolging is afgerond."))
    else:
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
    return redirect(target)
