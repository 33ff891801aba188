"""The dashboard and the export of its tables. Read only; aggregates, no rows of anyone."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.core.access import permission_required
from schakelpunt.insights.exports import CSV_TYPE, XLSX_TYPE, filename, table_csv, table_xlsx
from schakelpunt.insights.forms import AnnualReportForm, DashboardFilterForm
from schakelpunt.insights.selectors import Dashboard, dashboard, insight_scope


def _dashboard(request: HttpRequest) -> tuple[DashboardFilterForm, Dashboard]:
    scope = insight_scope(request.user)
    form = DashboardFilterForm(request.GET or None, scope=scope)
    return form, dashboard(viewer=request.user, **form.filters(), scope=scope)


def scope_label(board: Dashboard) -> str:
    return board.scope_label


@require_GET
@permission_required("insights.view_dashboard")
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Viewing aggregates reads no one's personal data: no access-log row (exports do write one)."""
    form, board = _dashboard(request)
    chosen_desk = board.desks[0].pk if len(board.desks) == 1 else None
    report_form = AnnualReportForm(
        scope=board.scope,
        initial={"loket": chosen_desk, "gemeente": board.municipality.pk if board.municipality else None},
    )
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "board": board,
            "query": request.GET.urlencode(),
            "scope_label": scope_label(board),
            "report_form": report_form,
        },
    )


def _export(request: HttpRequest, table_key: str, extension: str) -> HttpResponse:
    _form, board = _dashboard(request)
    table = board.table(table_key)
    if table is None:
        raise Http404
    access_log_record(
        acting_user=request.user,
        action=Action.EXPORT,
        object_type="insights.table",
        object_id=table.key,
        request=request,
        purpose="insights",
    )
    if extension == "csv":
        content, content_type = table_csv(table), CSV_TYPE
    else:
        content, content_type = (
            table_xlsx(table, period=board.period, scope_label=scope_label(board)),
            XLSX_TYPE,
        )
    name = filename(table, board.period, extension)
    return HttpResponse(
        content, content_type=content_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@require_GET
@permission_required("insights.view_dashboard")
def export_csv(request: HttpRequest, table: str) -> HttpResponse:
    return _export(request, table, "csv")


@require_GET
@permission_required("insights.view_dashboard")
def export_xlsx(request: HttpRequest, table: str) -> HttpResponse:
    return _export(request, table, "xlsx")
