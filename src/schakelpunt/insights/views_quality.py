"""The quality scan (/inzicht/kwaliteit/), the yearly self-assessment, the reach analysis
(/inzicht/bereik/) and the import of population figures. Read only, except the
self-assessment and the import, which go through their services.

Viewing aggregates reads no one's personal data, so the pages write no access-log row; the
exports do (like the dashboard's), and so do the two services.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.core.access import permission_required
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.insights.exports import CSV_TYPE, XLSX_TYPE, filename, table_csv, table_xlsx
from schakelpunt.insights.forms import DashboardFilterForm
from schakelpunt.insights.periods import Period
from schakelpunt.insights.quality import (
    CHECKLIST,
    MAX_NOTE,
    SCORES,
    QualityScan,
    Quarter,
    answered_items,
    average_score,
    editable_year,
    may_fill_in,
    quality_desks,
    quality_scan,
    self_assessment_save,
    self_assessments,
)
from schakelpunt.insights.reach import (
    COLUMNS,
    MAX_FILE_BYTES,
    PopulationImportError,
    Reach,
    population_import,
    reach_analysis,
)
from schakelpunt.insights.selectors import insight_scope
from schakelpunt.organisations.models import Desk, Municipality, PopulationFigure, SelfAssessment
from schakelpunt.organisations.selectors import desks_visible_to

RADIO = "utrecht-radio-button utrecht-radio-button--html-input utrecht-form-field__input"
QUARTER_CHOICES = 8  # the quarter filter offers the current quarter and the seven before it

# --- the quality scan ----------------------------------------------------------------------------


class QualityFilterForm(forms.Form):
    loket = forms.ChoiceField(label=gettext_lazy("Loket"), required=False)
    kwartaal = forms.ChoiceField(
        label=gettext_lazy("Tot en met kwartaal"),
        required=False,
        help_text=gettext_lazy("De pagina toont dit kwartaal en de drie ervoor."),
    )

    def __init__(self, data=None, *, desks: list[Desk], today=None):
        super().__init__(data)
        today = today or timezone.localdate()
        self.default_quarter = Quarter.last_complete(today)
        quarters = [Quarter.of(today)]
        while len(quarters) < QUARTER_CHOICES:
            quarters.append(quarters[-1].previous())
        self.fields["loket"].choices = [(desk.slug, desk.name) for desk in desks]
        self.fields["kwartaal"].choices = [
            (quarter.slug, quarter.label + (f" ({_('lopend')})" if quarter == quarters[0] else ""))
            for quarter in quarters
        ]
        self.fields["kwartaal"].initial = self.default_quarter.slug
        self.show_desks = len(desks) > 1

    def chosen(self) -> tuple[str | None, Quarter]:
        if self.is_bound and self.is_valid():
            quarter = self.cleaned_data.get("kwartaal")
            return self.cleaned_data.get("loket") or None, Quarter.parse(
                quarter
            ) if quarter else self.default_quarter
        return None, self.default_quarter


def _scan(request: HttpRequest) -> tuple[QualityFilterForm, QualityScan | None]:
    scope = insight_scope(request.user)
    desks = quality_desks(request.user, scope)
    form = QualityFilterForm(request.GET or None, desks=desks)
    slug, quarter = form.chosen()
    desk = next((desk for desk in desks if desk.slug == slug), desks[0] if desks else None)
    if desk is None:
        return form, None
    return form, quality_scan(viewer=request.user, desk=desk, last_quarter=quarter, scope=scope)


@require_GET
@permission_required("insights.view_dashboard")
def quality_view(request: HttpRequest) -> HttpResponse:
    form, scan = _scan(request)
    context = {"form": form, "scan": scan, "query": request.GET.urlencode()}
    if scan is not None:
        history = list(self_assessments(viewer=request.user, desk=scan.desk))
        this_year = editable_year()
        context.update(
            charts={
                f"grafiek-{table.key}": {"id": f"grafiek-{table.key}", "data": table.chart_data()}
                for table in scan.tables
                if table.chart_data() is not None
            },
            assessments=[{"assessment": a, "average": average_score(a)} for a in history],
            current=next((a for a in history if a.year == this_year), None),
            this_year=this_year,
            may_fill_in=may_fill_in(request.user, scan.desk),
            may_view_assessments=request.user.has_perm("organisations.view_selfassessment"),
        )
    return render(request, "insights/quality/page.html", context)


def _send_table(request: HttpRequest, table, period: Period, scope_label: str, extension: str, purpose: str):
    access_log_record(
        acting_user=request.user,
        action=Action.EXPORT,
        object_type="insights.table",
        object_id=table.key,
        request=request,
        purpose=purpose,
    )
    if extension == "csv":
        content, content_type = table_csv(table), CSV_TYPE
    else:
        content, content_type = table_xlsx(table, period=period, scope_label=scope_label), XLSX_TYPE
    name = filename(table, period, extension)
    return HttpResponse(
        content, content_type=content_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _quality_export(request: HttpRequest, table_key: str, extension: str) -> HttpResponse:
    _form, scan = _scan(request)
    table = next((table for table in scan.tables if table.key == table_key), None) if scan else None
    if table is None:
        raise Http404
    period = Period(scan.quarters[0].period.first, scan.quarters[-1].period.last)
    return _send_table(request, table, period, scan.desk.name, extension, "quality")


@require_GET
@permission_required("insights.view_dashboard")
def quality_export_csv(request: HttpRequest, table: str) -> HttpResponse:
    return _quality_export(request, table, "csv")


@require_GET
@permission_required("insights.view_dashboard")
def quality_export_xlsx(request: HttpRequest, table: str) -> HttpResponse:
    return _quality_export(request, table, "xlsx")


# --- the self-assessment -------------------------------------------------------------------------


class SelfAssessmentForm(forms.Form):
    """Per checklist item a score (1-4) and a note; the version the form was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, assessment: SelfAssessment | None = None, **kwargs):
        initial = {"version": assessment.version if assessment else 0}
        for answered in answered_items(assessment):
            initial[f"{answered.item.code}_score"] = answered.score
            initial[f"{answered.item.code}_note"] = answered.note
        super().__init__(*args, initial=initial, **kwargs)
        self.items = []
        for item in CHECKLIST:
            self.fields[f"{item.code}_score"] = forms.TypedChoiceField(
                label=item.title,
                help_text=item.explanation,
                choices=[(str(score), label) for score, label in SCORES],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": RADIO}),
                error_messages={"required": _("Kies een score.")},
            )
            self.fields[f"{item.code}_note"] = forms.CharField(
                label=_("Toelichting bij ‘%(title)s’") % {"title": item.title},
                required=False,
                max_length=MAX_NOTE,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.items.append((item, self[f"{item.code}_score"], self[f"{item.code}_note"]))

    def answers(self) -> dict:
        return {
            item.code: {
                "score": self.cleaned_data[f"{item.code}_score"],
                "note": self.cleaned_data[f"{item.code}_note"],
            }
            for item in CHECKLIST
        }

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


@require_http_methods(["GET", "POST"])
@permission_required("organisations.view_selfassessment")
def self_assessment_view(request: HttpRequest, desk: str, year: int) -> HttpResponse:
    """One year's self-assessment of a desk: the form for the desk's coordinator in the current
    year, read only otherwise (earlier years, and the policy officer)."""
    chosen = next((d for d in quality_desks(request.user) if d.slug == desk), None)
    this_year = editable_year()
    if chosen is None or not 2000 <= year <= this_year:
        raise Http404
    assessment = self_assessments(viewer=request.user, desk=chosen).filter(year=year).first()
    editable = year == this_year and may_fill_in(request.user, chosen)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    if not editable and assessment is None and year != this_year:
        raise Http404
    form = None
    if editable:
        form = SelfAssessmentForm(request.POST or None, assessment=assessment)
        if request.method == "POST" and form.is_valid():
            try:
                saved = self_assessment_save(
                    acting_user=request.user,
                    desk=chosen,
                    year=year,
                    answers=form.answers(),
                    version=form.cleaned_data.get("version"),
                    request=request,
                )
            except ConflictError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("De zelfevaluatie %(year)s van %(desk)s is opgeslagen.")
                    % {"year": saved.year, "desk": chosen},
                )
                return redirect(f"{reverse('insights:quality')}?loket={chosen.slug}#zelfevaluatie")
    history = [a for a in self_assessments(viewer=request.user, desk=chosen) if a.year != year]
    return render(
        request,
        "insights/quality/self_assessment.html",
        {
            "desk": chosen,
            "year": year,
            "assessment": assessment,
            "items": answered_items(assessment),
            "average": average_score(assessment) if assessment else None,
            "form": form,
            "history": history,
        },
        status=200 if request.method == "GET" or form is None or not form.errors else 400,
    )


# --- the reach analysis --------------------------------------------------------------------------


def _reach(request: HttpRequest) -> tuple[DashboardFilterForm, Reach]:
    scope = insight_scope(request.user)
    form = DashboardFilterForm(request.GET or None, scope=scope)
    filters = form.filters()
    return form, reach_analysis(
        viewer=request.user,
        period=filters["period"],
        desks=filters["desks"],
        municipality=filters["municipality"],
        scope=scope,
    )


def _reach_label(reach: Reach) -> str:
    desks = ", ".join(desk.name for desk in reach.desks) or _("alle loketten")
    return f"{desks}; {', '.join(m.name for m in reach.municipalities)}"


@require_GET
@permission_required("insights.view_dashboard")
def reach_view(request: HttpRequest) -> HttpResponse:
    form, reach = _reach(request)
    return render(
        request,
        "insights/reach/page.html",
        {
            "form": form,
            "reach": reach,
            "query": request.GET.urlencode(),
            "scope_label": _reach_label(reach),
            "may_import": request.user.has_perm("organisations.add_populationfigure"),
        },
    )


def _reach_export(request: HttpRequest, table_key: str, extension: str) -> HttpResponse:
    _form, reach = _reach(request)
    table = reach.table(table_key)
    if table is None:
        raise Http404
    return _send_table(request, table, reach.period, _reach_label(reach), extension, "reach")


@require_GET
@permission_required("insights.view_dashboard")
def reach_export_csv(request: HttpRequest, table: str) -> HttpResponse:
    return _reach_export(request, table, "csv")


@require_GET
@permission_required("insights.view_dashboard")
def reach_export_xlsx(request: HttpRequest, table: str) -> HttpResponse:
    return _reach_export(request, table, "xlsx")


class PopulationUploadForm(forms.Form):
    bestand = forms.FileField(
        label=gettext_lazy("Bestand met bevolkingscijfers (CSV)"),
        help_text=gettext_lazy("Een CSV-bestand in UTF-8 met de kolommen hierboven, gescheiden door ; of ,."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv", "class": "utrecht-textbox"}),
    )

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan 2 MB; dat is geen bestand met bevolkingscijfers.")
            )
        return upload


@require_http_methods(["GET", "POST"])
@permission_required("organisations.add_populationfigure")
def population_import_view(request: HttpRequest) -> HttpResponse:
    """Upload population figures (the functional administrator, or a coordinator for the
    municipalities of their desks): all or nothing, each error with its line."""
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = population_import(
                acting_user=request.user, data=form.cleaned_data["bestand"].read(), request=request
            )
        except PopulationImportError as error:
            errors = error.errors
            form.add_error(
                "bestand",
                _("Het bestand is niet ingelezen; er is niets veranderd. Zie de fouten per regel hierboven."),
            )
        else:
            scopes = ", ".join(f"{name} {year}" for name, year in result.scopes)
            messages.success(
                request,
                _(
                    "%(rows)s bevolkingscijfers ingelezen (%(scopes)s); "
                    "%(replaced)s eerdere cijfers vervangen."
                )
                % {"rows": result.rows, "scopes": scopes, "replaced": result.replaced},
            )
            target = (
                "insights:reach"
                if request.user.has_perm("insights.view_dashboard")
                else "insights:population-import"
            )
            return redirect(target)
    municipalities = Municipality.objects.filter(desks__in=desks_visible_to(request.user)).distinct()
    stored = (
        PopulationFigure.objects.filter(municipality__in=municipalities)
        .values("municipality__name", "year")
        .annotate(rows=Count("pk"), imported_at=Max("imported_at"))
        .order_by("municipality__name", "-year")
    )
    return render(
        request,
        "insights/reach/import.html",
        {"form": form, "errors": errors, "stored": list(stored), "columns": COLUMNS},
        status=400 if errors or form.errors else 200,
    )
