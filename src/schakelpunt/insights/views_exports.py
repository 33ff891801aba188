"""Long exports: start them from the dashboard, follow them on "Mijn exports", download them.

Starting one (POST) queues a job (:func:`jobs.export_job_request`) and sends the user to
"Mijn exports", which shows the progress; while a job is busy, htmx asks for the list again
every two seconds (without JavaScript: the page's "Vernieuwen" link). The download checks that
the job is the user's own and still within their scope, and writes an ``export`` row to the
access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.core.access import permission_required
from schakelpunt.insights.forms import AnnualReportForm, DashboardFilterForm
from schakelpunt.insights.jobs import export_job_for_download, export_job_request, export_jobs_of
from schakelpunt.insights.models import ExportJob
from schakelpunt.insights.selectors import insight_scope

PAGE_SIZE = 20


def _start(request: HttpRequest, **request_kwargs) -> HttpResponse:
    try:
        job = export_job_request(acting_user=request.user, **request_kwargs)
    except PermissionDenied:
        messages.error(
            request,
            _("U bent nog niet aan een loket of gemeente gekoppeld, dus er is niets te exporteren."),
        )
        return redirect("insights:dashboard")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("insights:export-jobs")
    messages.success(
        request,
        _(
            "‘%(title)s’ wordt gemaakt. Hieronder ziet u de voortgang; als het klaar is, kunt u het "
            "downloaden."
        )
        % {"title": job.title},
    )
    return redirect("insights:export-jobs")


@require_POST
@permission_required("insights.view_dashboard")
def annual_report_start(request: HttpRequest) -> HttpResponse:
    """Start the annual report (PDF) of a year for the chosen desk or municipality."""
    form = AnnualReportForm(request.POST, scope=insight_scope(request.user))
    if not form.is_valid():
        messages.error(request, _("Kies een jaar, loket en gemeente uit de lijsten."))
        return redirect("insights:dashboard")
    data = form.cleaned_data
    return _start(
        request,
        kind=ExportJob.Kind.ANNUAL_REPORT,
        year=data["jaar"],
        desks=[data["loket"]] if data.get("loket") else [],
        municipality=data.get("gemeente"),
    )


@require_POST
@permission_required("insights.view_dashboard")
def all_tables_start(request: HttpRequest) -> HttpResponse:
    """Start the workbook with every table of the dashboard and the reach analysis, for the
    period, desks and municipality the dashboard showed."""
    form = DashboardFilterForm(request.POST, scope=insight_scope(request.user))
    if not form.is_valid():
        messages.error(
            request, _("De periode of de keuze van loket en gemeente klopt niet; kies ze opnieuw.")
        )
        return redirect("insights:dashboard")
    filters = form.filters()
    return _start(
        request,
        kind=ExportJob.Kind.ALL_TABLES,
        period=filters["period"],
        desks=filters["desks"],
        municipality=filters["municipality"],
    )


@require_GET
@permission_required("insights.view_dashboard")
def export_jobs_view(request: HttpRequest) -> HttpResponse:
    """The user's own exports with their progress; the htmx poll gets only the list."""
    page = Paginator(export_jobs_of(request.user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    busy = any(job.is_busy for job in page.object_list)
    template = "insights/exports/list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#jobs"
    return render(request, template, {"page": page, "busy": busy})


@require_GET
@permission_required("insights.view_dashboard")
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file of a finished export, for its requester only (404 for anyone else)."""
    job = export_job_for_download(viewer=request.user, pk=pk)
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    access_log_record(
        acting_user=request.user,
        action=Action.EXPORT,
        object_type="insights.exportjob",
        object_id=job.pk,
        request=request,
        purpose="insights",
    )
    response = FileResponse(handle, as_attachment=True, filename=job.filename, content_type=job.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
