"""Documents of a Wmo report: the list, the upload, the download, and the conversation report
as a PDF to print and sign.

Only users who see the whole report (``WmoReport.objects.visible_to``) reach these pages; the
front office, who sees the status only, gets 404 like for a report that does not exist. Every
page writes the access log: the list and a download as 'read', the PDF as 'export'; the upload
writes its 'change' row in :func:`documents.wmo_document_add`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.core.access import get_visible_or_404, permission_required
from schakelpunt.core.forms import ServiceErrorsMixin
from schakelpunt.wmo.documents import ACCEPT, conversation_report_pdf, wmo_document_add
from schakelpunt.wmo.models import WmoDocument, WmoReport

PURPOSE = "wmo"


class DocumentForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Soort document"), choices=WmoDocument.Kind.choices)
    file = forms.FileField(
        label=gettext_lazy("Bestand"),
        # The service checks everything again (type from the content, size, name): the
        # attribute only helps the browser's file picker.
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=gettext_lazy("PDF, JPEG, PNG, Word (.docx) of OpenDocument (.odt)."),
        allow_empty_file=True,  # the service gives its own message for an empty file
    )


def _report(request: HttpRequest, pk: int) -> WmoReport:
    """The whole report, for those who may see it; 404 for everyone else."""
    return get_visible_or_404(
        WmoReport.objects.select_related("resident", "desk", "consultant"), request.user, pk=pk
    )


def _log(request: HttpRequest, report: WmoReport, action: str, object_type: str, object_id) -> None:
    access_log_record(
        acting_user=request.user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        request=request,
        purpose=PURPOSE,
        on_behalf_of=on_behalf_of_resident(report.resident_id),
    )


def _max_size_help() -> str:
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    return _("Ten hoogste %(max)s.") % {"max": filesizeformat(int(settings.WMO_UPLOAD_MAX_BYTES))}


@require_GET
@permission_required("wmo.view_wmoreport", "wmo.view_wmodocument")
def document_list(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    documents = list(report.documents.select_related("uploaded_by"))
    _log(request, report, Action.READ, "wmo.wmoreport", report.pk)
    return render(
        request,
        "wmo/documents/list.html",
        {
            "report": report,
            "documents": documents,
            "may_add": request.user.has_perm("wmo.add_wmodocument"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("wmo.view_wmoreport", "wmo.add_wmodocument")
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    form.fields["file"].help_text = f"{form.fields['file'].help_text} {_max_size_help()}"
    if request.method == "POST" and form.is_valid():
        try:
            document = wmo_document_add(
                acting_user=request.user,
                report=report,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                request=request,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Document toegevoegd: %(name)s.") % {"name": document.original_name})
            return redirect("wmo:documents", pk=report.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "wmo/documents/add.html", {"report": report, "form": form}, status=status)


@require_GET
@permission_required("wmo.view_wmoreport", "wmo.view_wmodocument")
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    report = _report(request, pk)
    document = report.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    _log(request, report, Action.READ, "wmo.wmodocument", document.pk)
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    _harden(response)
    return response


@require_GET
@permission_required("wmo.view_wmoreport")
def conversation_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report of the conversation as an A4 PDF in Dutch, for the resident to sign."""
    report = _report(request, pk)
    with translation.override("nl"):
        pdf = conversation_report_pdf(report)
    _log(request, report, Action.EXPORT, "wmo.wmoreport", report.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    # No name of the resident in the file name: it ends up in download folders and mail.
    response["Content-Disposition"] = f'inline; filename="wmo-melding-{report.pk}-verslag.pdf"'
    _harden(response)
    return response


def _harden(response: HttpResponse) -> None:
    """Personal data: never cached, never sniffed as something else, never run as a page."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
