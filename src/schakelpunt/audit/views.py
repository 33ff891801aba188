import csv
import datetime

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from schakelpunt.audit.forms import AccessLogFilterForm
from schakelpunt.audit.models import AccessLog
from schakelpunt.audit.selectors import access_log_list, keyset_page
from schakelpunt.audit.services import Action, access_log_record, object_label
from schakelpunt.core.access import permission_required


def _filters(request: HttpRequest) -> tuple[AccessLogFilterForm, dict]:
    form = AccessLogFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data
    return form, {}


@require_GET
@permission_required("audit.view_accesslog")
def log(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    try:
        before = int(request.GET["voor"]) if request.GET.get("voor") else None
    except ValueError:
        before = None
    rows, next_cursor = keyset_page(access_log_list(viewer=request.user, filters=filters), before)
    access_log_record(
        acting_user=request.user,
        action=Action.SEARCH,
        object_type=object_label(AccessLog),
        request=request,
    )
    query = request.GET.copy()
    query.pop("voor", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "rows": rows,
            "next_cursor": next_cursor,
            "query": query.urlencode(),
            "can_export": request.user.has_perm("audit.export_accesslog"),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@permission_required("audit.view_accesslog", "audit.export_accesslog")
def export(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    rows = access_log_list(viewer=request.user, filters=filters)
    access_log_record(
        acting_user=request.user,
        action=Action.EXPORT,
        object_type=object_label(AccessLog),
        request=request,
    )
    writer = csv.writer(_Echo())
    header = [
        "tijdstip_utc",
        "gebruiker",
        "rollen",
        "organisatie_id",
        "handeling",
        "soort",
        "kenmerk",
        "resultaat",
        "ip_adres",
        "doel",
        "namens",
    ]

    def lines():
        yield writer.writerow(header)
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    row.timestamp.astimezone(datetime.UTC).isoformat(),
                    row.username,
                    row.roles,
                    row.organisation_id or "",
                    row.action,
                    row.object_type,
                    row.object_id,
                    row.result,
                    row.ip_address or "",
                    row.purpose,
                    row.on_behalf_of,
                ]
            )

    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="toegangslog-{stamp}.csv"'},
    )
