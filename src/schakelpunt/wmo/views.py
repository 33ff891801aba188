"""The Wmo pages: making a report, the report page (whole or status only), its handling steps,
the consultant's work list and the coordinator's overview.

Every page that shows a resident's data writes an access-log row; every write goes through
``wmo.services``; every read through ``wmo.selectors`` and the models' visibility rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.contacts.models import Contact, Question
from schakelpunt.contacts.selectors import question_get
from schakelpunt.core.access import permission_required
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.organisations.models import Desk
from schakelpunt.residents.models import Resident
from schakelpunt.residents.selectors import resident_get
from schakelpunt.wmo import deadlines, selectors, services, workflow
from schakelpunt.wmo.forms import (
    ApplicationForm,
    CizOutcomeForm,
    CizReferralForm,
    CloseForm,
    DecisionForm,
    InvestigationForm,
    OverviewFilterForm,
    PickUpForm,
    ResumeForm,
    SuspendForm,
    VersionForm,
    WithdrawForm,
    WmoReportForm,
    consultants_for,
)
from schakelpunt.wmo.models import WmoReport

S = WmoReport.Status
PAGE_SIZE = 25
OBJECT_TYPE = "wmo.wmoreport"

REPORTER_FROM_ASKED_BY = {
    Contact.AskedBy.RESIDENT: WmoReport.Reporter.RESIDENT,
    Contact.AskedBy.REPRESENTATIVE: WmoReport.Reporter.INFORMAL_CARER,
    Contact.AskedBy.PROFESSIONAL: WmoReport.Reporter.PROFESSIONAL,
}


def _log_read(request: HttpRequest, report: WmoReport, purpose: str) -> None:
    access_log_record(
        acting_user=request.user,
        action=Action.READ,
        object_type=OBJECT_TYPE,
        object_id=report.pk,
        request=request,
        purpose=purpose,
        on_behalf_of=on_behalf_of_resident(report.resident_id),
    )


# --- making a report --------------------------------------------------------------------------


def _create(
    request: HttpRequest,
    *,
    resident: Resident,
    desks: QuerySet,
    initial: dict,
    question: Question | None = None,
    cancel_url: str,
) -> HttpResponse:
    form = WmoReportForm(request.POST or None, desks=desks, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.wmo_report_create(
                acting_user=request.user,
                request=request,
                resident=resident,
                question=question,
                **form.service_arguments(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("De Wmo-melding is vastgelegd. Het onderzoek moet uiterlijk %(date)s af zijn.")
                % {"date": report.due_investigation.strftime("%d-%m-%Y")},
            )
            return redirect("wmo:detail", pk=report.pk)
    # The page shows the resident (and the question): reading personal data.
    access_log_record(
        acting_user=request.user,
        action=Action.READ,
        object_type="contacts.question" if question else "residents.resident",
        object_id=question.pk if question else resident.pk,
        request=request,
        purpose="wmo",
        on_behalf_of=on_behalf_of_resident(resident.pk),
    )
    existing = list(
        WmoReport.objects.status_visible_to(request.user)
        .open()
        .filter(resident=resident)
        .order_by("-reported_on")
    )
    return render(
        request,
        "wmo/create.html",
        {
            "form": form,
            "resident": resident,
            "question": question,
            "existing": existing,
            "cancel_url": cancel_url,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("contacts.view_question", "wmo.add_wmoreport")
def create_from_question(request: HttpRequest, pk: int) -> HttpResponse:
    """The report form, filled in from a question at the desk."""
    question = question_get(viewer=request.user, pk=pk)
    if question.resident is None:
        messages.error(
            request,
            _("Een anonieme vraag kan geen Wmo-melding worden: leg eerst vast wie de inwoner is."),
        )
        return redirect("contacts:question", pk=question.pk)
    contact = question.contact
    summary = question.question_text
    if question.clarification:
        summary += "\n\n" + question.clarification
    initial = {
        "reported_on": timezone.localtime(contact.started_at).date(),
        "reporter": REPORTER_FROM_ASKED_BY.get(contact.asked_by, WmoReport.Reporter.RESIDENT),
        "reporter_name": contact.asker_name,
        "summary": summary,
    }
    return _create(
        request,
        resident=question.resident,
        question=question,
        desks=Desk.objects.filter(pk=contact.desk_id),
        initial=initial,
        cancel_url=reverse("contacts:question", args=[question.pk]),
    )


@require_http_methods(["GET", "POST"])
@permission_required("residents.view_resident", "wmo.add_wmoreport")
def create_for_resident(request: HttpRequest, pk: int) -> HttpResponse:
    """The report form for a resident, without a question at the desk first."""
    resident = resident_get(viewer=request.user, pk=pk)
    desks = request.user.desks.filter(is_active=True).order_by("name")
    initial = {}
    if resident.registered_desk_id:
        initial["desk"] = resident.registered_desk_id
    return _create(
        request,
        resident=resident,
        desks=desks,
        initial=initial,
        cancel_url=reverse("residents:detail", args=[resident.pk]),
    )


# --- the report page and its handling steps ----------------------------------------------------


def _none_if_empty(value):
    return value or None


@dataclass(frozen=True)
class Step:
    """One thing a consultant can do with a report: its form, when it is offered, what it does."""

    slug: str
    label: Any
    form_class: type[VersionForm]
    available: Callable[[WmoReport, datetime.date], bool]
    perform: Callable[..., Any]
    done: Any
    button: Any = None
    initial: Callable[[WmoReport], dict] = lambda report: {}

    @property
    def button_label(self):
        return self.button or self.label


def _transition(to_status: str, **names: str) -> Callable:
    """A step that moves the report: the form's fields become the service's arguments."""

    def perform(*, user, report: WmoReport, data: dict, form, request) -> Any:
        arguments = {argument: data.get(field) for argument, field in names.items()}
        if to_status == S.DECIDED:
            arguments["decisions"] = form.decisions()
        return services.wmo_report_transition(
            report=report,
            version=data["version"],
            request=request,
            acting_user=user,
            to_status=to_status,
            note=data.get("note", ""),
            **arguments,
        )

    return perform


def _pick_up(*, user, report, data, form, request):
    return services.wmo_report_transition(
        report=report,
        version=data["version"],
        request=request,
        acting_user=user,
        to_status=S.INVESTIGATION,
        consultant=data["consultant"],
    )


def _assign(*, user, report, data, form, request):
    return services.wmo_report_assign(
        report=report,
        version=data["version"],
        request=request,
        acting_user=user,
        consultant=data["consultant"],
    )


def _investigation(*, user, report, data, form, request):
    return services.wmo_report_record_investigation(
        report=report,
        version=data["version"],
        request=request,
        acting_user=user,
        conversation_on=_none_if_empty(data["conversation_on"]),
        conversation_report=_none_if_empty(data["conversation_report"]),
        personal_plan_received_on=_none_if_empty(data["personal_plan_received_on"]),
    )


def _ciz_outcome(*, user, report, data, form, request):
    return services.wmo_report_record_ciz_outcome(
        report=report,
        version=data["version"],
        request=request,
        acting_user=user,
        ciz_outcome=data["ciz_outcome"],
        ciz_outcome_on=data["ciz_outcome_on"],
        ciz_note=data["ciz_note"],
    )


def _suspend(*, user, report, data, form, request):
    return services.wmo_report_suspend(
        report=report,
        version=data["version"],
        request=request,
        acting_user=user,
        reason=data["reason"],
        note=data["note"],
        started_on=data["started_on"],
    )


def _resume(*, user, report, data, form, request):
    return services.wmo_report_resume(
        report=report, version=data["version"], request=request, acting_user=user, ended_on=data["ended_on"]
    )


def _may_apply(report: WmoReport, today: datetime.date) -> bool:
    # Wmo 2015 art. 2.3.5 lid 2: straight from the report only once the six weeks have passed.
    if report.status == S.REPORTED:
        return report.due_investigation < today and not report.is_suspended
    return workflow.allowed(report.status, S.APPLICATION)


STEPS = [
    Step(
        "oppakken",
        gettext_lazy("Oppakken: onderzoek starten"),
        PickUpForm,
        lambda report, today: report.status == S.REPORTED,
        _pick_up,
        gettext_lazy("De melding is opgepakt: het onderzoek loopt."),
        button=gettext_lazy("Onderzoek starten"),
    ),
    Step(
        "gesprek",
        gettext_lazy("Gesprek en verslag vastleggen"),
        InvestigationForm,
        lambda report, today: report.status == S.INVESTIGATION,
        _investigation,
        gettext_lazy("Het onderzoek is bijgewerkt."),
        button=gettext_lazy("Opslaan"),
        initial=lambda report: {
            "conversation_on": report.conversation_on,
            "conversation_report": report.conversation_report,
            "personal_plan_received_on": report.personal_plan_received_on,
        },
    ),
    Step(
        "aanvraag",
        gettext_lazy("Aanvraag ontvangen"),
        ApplicationForm,
        _may_apply,
        _transition(S.APPLICATION, application_received_on="application_received_on"),
        gettext_lazy("De aanvraag is vastgelegd: het besluit moet binnen twee weken volgen."),
        button=gettext_lazy("Aanvraag vastleggen"),
    ),
    Step(
        "besluit",
        gettext_lazy("Besluit vastleggen"),
        DecisionForm,
        lambda report, today: workflow.allowed(report.status, S.DECIDED),
        _transition(S.DECIDED, decided_on="decided_on", decision_note="decision_note"),
        gettext_lazy("Het besluit is vastgelegd."),
    ),
    Step(
        "ciz",
        gettext_lazy("Doorverwijzen naar het CIZ (Wlz)"),
        CizReferralForm,
        lambda report, today: workflow.allowed(report.status, S.CIZ),
        _transition(S.CIZ, ciz_referred_on="ciz_referred_on"),
        gettext_lazy("De melding is doorverwezen naar het CIZ."),
        button=gettext_lazy("Doorverwijzen"),
    ),
    Step(
        "ciz-uitkomst",
        gettext_lazy("Uitkomst van het CIZ vastleggen"),
        CizOutcomeForm,
        lambda report, today: report.status == S.CIZ,
        _ciz_outcome,
        gettext_lazy("De uitkomst van het CIZ is vastgelegd."),
        button=gettext_lazy("Uitkomst vastleggen"),
    ),
    Step(
        "opschorten",
        gettext_lazy("Termijn opschorten"),
        SuspendForm,
        lambda report, today: report.status in WmoReport.DEADLINE_STATUSES and not report.is_suspended,
        _suspend,
        gettext_lazy("De termijn is opgeschort."),
        button=gettext_lazy("Opschorten"),
    ),
    Step(
        "hervatten",
        gettext_lazy("Termijn hervatten"),
        ResumeForm,
        lambda report, today: report.is_suspended,
        _resume,
        gettext_lazy("De termijn loopt weer; de uiterste datum is opgeschoven."),
        button=gettext_lazy("Hervatten"),
    ),
    Step(
        "toewijzen",
        gettext_lazy("Andere consulent toewijzen"),
        PickUpForm,
        lambda report, today: report.is_open and report.status != S.REPORTED,
        _assign,
        gettext_lazy("De melding is toegewezen."),
        button=gettext_lazy("Toewijzen"),
    ),
    Step(
        "afsluiten",
        gettext_lazy("Afsluiten"),
        CloseForm,
        lambda report, today: workflow.allowed(report.status, S.CLOSED),
        _transition(S.CLOSED, close_reason="close_reason"),
        gettext_lazy("De melding is afgesloten."),
    ),
    Step(
        "intrekken",
        gettext_lazy("Melding intrekken"),
        WithdrawForm,
        lambda report, today: workflow.allowed(report.status, S.WITHDRAWN),
        _transition(S.WITHDRAWN),
        gettext_lazy("De melding is ingetrokken."),
        button=gettext_lazy("Intrekken"),
    ),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def _steps_for(
    request: HttpRequest, report: WmoReport, failed: tuple[Step, VersionForm] | None
) -> list[dict]:
    if not request.user.has_perm("wmo.work_wmoreport"):
        return []
    today = timezone.localdate()
    items = []
    for step in STEPS:
        if not step.available(report, today):
            continue
        if failed is not None and failed[0] is step:
            form = failed[1]
        else:
            form = step.form_class(
                report=report, user=request.user, initial={"version": report.version, **step.initial(report)}
            )
        items.append({"step": step, "form": form, "open": failed is not None and failed[0] is step})
    return items


@dataclass(frozen=True)
class DeadlineRow:
    label: Any
    source: Any
    due: datetime.date | None
    running: bool  # the statutory deadline that runs now
    state: str | None  # its colour: "overdue", "due_this_week", "ok"; None when suspended or not running
    note: str = ""


def _date(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def deadline_rows(
    report: WmoReport, today: datetime.date | None = None, *, status_only: bool = False
) -> list[DeadlineRow]:
    """The three statutory deadlines (rules and sources in ``deadlines.py``): only the one that
    runs now gets a colour (``selectors.deadline_state``); the others say what became of them.
    ``status_only`` (the front office's page) reads nothing but the phase and the deadlines."""
    today = today or timezone.localdate()
    state = selectors.deadline_state(report, today=today)
    in_investigation = report.status in (S.REPORTED, S.INVESTIGATION)
    plan_note = investigation_note = decision_note = ""
    if not status_only and report.personal_plan_received_on:
        plan_note = _("ontvangen op %(date)s") % {"date": _date(report.personal_plan_received_on)}
    elif report.due_personal_plan < today:
        plan_note = _("verstreken")
    elif in_investigation:
        plan_note = _("de inwoner kan nog een plan inleveren")
    if not in_investigation:
        investigation_note = _("afgerond")
        if not status_only and report.investigation_completed_on:
            investigation_note = _("afgerond op %(date)s") % {
                "date": _date(report.investigation_completed_on)
            }
    if report.status in (S.REPORTED, S.INVESTIGATION):
        decision_note = _("begint bij de aanvraag")
    elif report.status in (S.DECIDED, S.CLOSED) and report.due_decision is not None:
        decision_note = _("besloten")
        if not status_only and report.decided_on:
            decision_note = _("besloten op %(date)s") % {"date": _date(report.decided_on)}
    return [
        DeadlineRow(
            _("Persoonlijk plan"),
            _("%(days)s dagen na de melding (Wmo 2015 art. 2.3.2 lid 2)")
            % {"days": deadlines.PERSONAL_PLAN_DAYS},
            report.due_personal_plan,
            False,
            None,
            plan_note,
        ),
        DeadlineRow(
            _("Onderzoek af"),
            _("%(weeks)s weken na de melding (Wmo 2015 art. 2.3.2 lid 1)")
            % {"weeks": deadlines.INVESTIGATION_DAYS // 7},
            report.due_investigation,
            in_investigation,
            state if in_investigation else None,
            investigation_note,
        ),
        DeadlineRow(
            _("Besluit"),
            _("%(weeks)s weken na de aanvraag (Wmo 2015 art. 2.3.5 lid 3)")
            % {"weeks": deadlines.DECISION_DAYS // 7},
            report.due_decision,
            report.status == S.APPLICATION,
            state if report.status == S.APPLICATION else None,
            decision_note,
        ),
    ]


def _render_detail(
    request: HttpRequest, report: WmoReport, failed: tuple[Step, VersionForm] | None = None, status: int = 200
) -> HttpResponse:
    _log_read(request, report, "wmo")
    support = list(report.support_requests.all())
    context = {
        "report": report,
        "support": support,
        "decided": any(request.decision for request in support),
        "deadlines": deadline_rows(report),
        "steps": _steps_for(request, report, failed),
        "history": report.status_history.all(),
        "suspensions": report.suspensions.all(),
        "documents": list(report.documents.all()) if request.user.has_perm("wmo.view_wmodocument") else [],
        "suspended_days": report.investigation_suspended_days + report.decision_suspended_days,
    }
    return render(request, "wmo/detail.html", context, status=status)


def _status_page(request: HttpRequest, report: WmoReport) -> HttpResponse:
    """The front office's view: phase, deadlines and who handles it; nothing of the content."""
    _log_read(request, report, "wmo-status")
    consultant = report.consultant
    return render(
        request,
        "wmo/status.html",
        {
            "report": report,
            "deadlines": deadline_rows(report, status_only=True),
            "consultant_name": (consultant.get_full_name() or consultant.get_username())
            if consultant
            else "",
        },
    )


@require_GET
@permission_required("wmo.view_wmoreport_status")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.user.has_perm("wmo.view_wmoreport"):
        return _render_detail(request, selectors.wmo_report_get(viewer=request.user, pk=pk))
    return _status_page(request, selectors.wmo_report_status_get(viewer=request.user, pk=pk))


@require_POST
@permission_required("wmo.view_wmoreport", "wmo.work_wmoreport")
def step(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Perform one handling step; the service's errors show next to the fields of its form."""
    report = selectors.wmo_report_get(viewer=request.user, pk=pk)
    chosen = STEPS_BY_SLUG.get(slug)
    if chosen is None:
        raise Http404
    if not chosen.available(report, timezone.localdate()):
        # The page was opened in another phase (or the address typed): show the report as it is.
        messages.error(request, _("Dit kan niet (meer) in deze fase van de melding."))
        return redirect("wmo:detail", pk=report.pk)
    form = chosen.form_class(request.POST, report=report, user=request.user)
    # A form with errors comes back as an ordinary page (200), as intake does; a conflict is 409.
    status = 200
    if form.is_valid():
        try:
            chosen.perform(
                user=request.user, report=report, data=form.cleaned_data, form=form, request=request
            )
        except ConflictError as error:
            # Keep what was typed; the page shows the report as it is now, and the form carries
            # the current version, so sending it again is a deliberate choice.
            report = selectors.wmo_report_get(viewer=request.user, pk=pk)
            data = request.POST.copy()
            data["version"] = str(report.version)
            form = chosen.form_class(data, report=report, user=request.user)
            form.is_valid()
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, str(chosen.done))
            return redirect(f"{reverse('wmo:detail', args=[report.pk])}")
    return _render_detail(request, report, failed=(chosen, form), status=status)


# --- lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkList:
    slug: str  # the value of ?lijst= in the address
    title: Any
    queryset: Callable[..., QuerySet]
    empty: Any


def _unassigned(*, viewer) -> QuerySet:
    return selectors.team_wmo_reports(viewer=viewer).filter(consultant__isnull=True)


WORK_LISTS = [
    WorkList(
        "mijn",
        gettext_lazy("Mijn Wmo-meldingen"),
        selectors.my_wmo_reports,
        gettext_lazy("U heeft geen open Wmo-meldingen."),
    ),
    WorkList(
        "oppakken",
        gettext_lazy("Op te pakken door het team"),
        _unassigned,
        gettext_lazy("Er liggen geen meldingen klaar om op te pakken."),
    ),
    WorkList(
        "team",
        gettext_lazy("Alle open meldingen van het team"),
        selectors.team_wmo_reports,
        gettext_lazy("Uw team heeft geen open Wmo-meldingen."),
    ),
]


def _annotate(reports: list[WmoReport], today: datetime.date) -> None:
    for report in reports:
        report.state = selectors.deadline_state(report, today=today)
        report.current_due = report.current_due_date()
        report.lead_days = (today - report.reported_on).days


@require_GET
@permission_required("wmo.view_wmoreport")
def work(request: HttpRequest) -> HttpResponse:
    """Mijn Wmo-meldingen: my open reports by deadline, and the team's to pick up (tabs)."""
    current = next((wl for wl in WORK_LISTS if wl.slug == request.GET.get("lijst")), WORK_LISTS[0])
    querysets = {wl.slug: wl.queryset(viewer=request.user) for wl in WORK_LISTS}
    page = Paginator(querysets[current.slug], PAGE_SIZE).get_page(request.GET.get("pagina"))
    page.object_list = list(page.object_list)
    today = timezone.localdate()
    _annotate(page.object_list, today)
    tabs = [
        {
            "slug": wl.slug,
            "title": wl.title,
            "count": page.paginator.count if wl is current else querysets[wl.slug].count(),
            "current": wl is current,
        }
        for wl in WORK_LISTS
    ]
    access_log_record(
        acting_user=request.user,
        action=Action.SEARCH,
        object_type=OBJECT_TYPE,
        request=request,
        purpose="wmo-worklist",
    )
    return render(
        request,
        "wmo/work.html",
        {
            "current": current,
            "tabs": tabs,
            "page": page,
            "today": today,
            "show_consultant": current.slug != "mijn",
            "show_pick_up": current.slug != "mijn" and request.user.has_perm("wmo.work_wmoreport"),
        },
    )


@require_GET
@permission_required("wmo.view_wmoreport", "wmo.view_wmo_overview")
def overview(request: HttpRequest) -> HttpResponse:
    """The coordinator's overview: every open report of the desks by phase, with lead times."""
    consultants = list(consultants_for(request.user.desks.values("pk")))
    form = OverviewFilterForm(request.GET, consultants=consultants)
    filters = form.filters
    reports = selectors.team_wmo_reports(viewer=request.user)
    if filters["phase"]:
        reports = reports.filter(status=filters["phase"])
    if filters["consultant"] == OverviewFilterForm.UNASSIGNED:
        reports = reports.filter(consultant__isnull=True)
    elif filters["consultant"]:
        reports = reports.filter(consultant_id=filters["consultant"])
    reports = reports.order_by("reported_on", "pk")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("pagina"))
    page.object_list = list(page.object_list)
    today = timezone.localdate()
    _annotate(page.object_list, today)
    access_log_record(
        acting_user=request.user,
        action=Action.SEARCH,
        object_type=OBJECT_TYPE,
        request=request,
        purpose="wmo-overview",
    )
    return render(
        request,
        "wmo/overview.html",
        {
            "form": form,
            "filtered": bool(filters["phase"] or filters["consultant"]),
            "summary": selectors.wmo_overview(viewer=request.user),
            "page": page,
            "today": today,
        },
    )
