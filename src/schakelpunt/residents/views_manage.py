"""Looking after a resident: change the details, add a representative, record or withdraw a
consent, and measure self-reliance.

Every page reaches the resident through ``resident_get`` (the same 404 for "missing" and "not
yours"), writes through a service, and logs each look at the resident's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schakelpunt.audit.services import Action, access_log_read, access_log_record, access_log_refused
from schakelpunt.contacts.models import Assessment, AssessmentDomain, AssessmentInstrument
from schakelpunt.contacts.services import assessment_record
from schakelpunt.core.access import permission_required
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.residents.forms_manage import (
    ZRM_SCORE_LABELS,
    AssessmentForm,
    ConsentForm,
    RepresentationForm,
    ResidentEditForm,
    score_label,
)
from schakelpunt.residents.models import Consent, Resident
from schakelpunt.residents.selectors import resident_get
from schakelpunt.residents.services import (
    consent_record,
    consent_withdraw,
    representation_add,
    resident_update,
)

DEFAULT_INSTRUMENT = "zrm"
HOUSEMATES_LIMIT = 20
SCOPE_LABELS = dict(Consent.Scope.choices)


def _to_resident(resident: Resident) -> HttpResponse:
    return redirect("residents:detail", pk=resident.pk)


# --- Details ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("residents.view_resident", "residents.change_resident")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a resident's details with optimistic locking (as ``contacts:question-edit``).

    When someone else saved in between, the service refuses the save: the page says so at
    the top, keeps what the employee typed, and nothing is saved.
    """
    resident = resident_get(viewer=request.user, pk=pk)
    conflict = False
    if request.method == "POST":
        form = ResidentEditForm(request.POST, user=request.user, resident=resident)
        if form.is_valid():
            opened = form.cleaned_data["version"]
            changes = form.changes
            if not changes and opened == resident.version:
                messages.info(request, _("Er was niets gewijzigd."))
                return _to_resident(resident)
            try:
                resident_update(
                    acting_user=request.user,
                    resident=resident,
                    expected_version=opened,
                    data=changes,
                    request=request,
                )
            except ConflictError as error:
                form.add_error(None, str(error))
                conflict = True
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("De gegevens zijn opgeslagen."))
                return _to_resident(resident)
    else:
        form = ResidentEditForm(user=request.user, resident=resident)
    access_log_read(request=request, obj=resident, purpose="edit")
    return render(
        request,
        "residents/manage_edit.html",
        {"resident": resident, "form": form, "conflict": conflict},
    )


# --- Representatives ----------------------------------------------------------------------


def _housemates(user, resident: Resident):
    """Visible residents at the same postcode and house number, to pick as representative.

    Nobody learns an address they may not see: under secrecy the list is only there for who
    may see secret addresses, and residents under secrecy are only in it for them.
    """
    may_see_secret = user.has_perm("residents.can_view_secret_address")
    if not resident.postcode or resident.house_number is None or (resident.is_secret and not may_see_secret):
        return Resident.objects.none()
    found = (
        Resident.objects.visible_to(user)
        .filter(postcode=resident.postcode, house_number=resident.house_number)
        .exclude(pk=resident.pk)
    )
    if not may_see_secret:
        found = found.exclude(is_secret=True)
    pks = list(found.order_by("surname", "given_names", "pk").values_list("pk", flat=True)[:HOUSEMATES_LIMIT])
    return Resident.objects.filter(pk__in=pks).order_by("surname", "given_names", "pk")


@require_http_methods(["GET", "POST"])
@permission_required("residents.view_resident", "residents.add_representation")
def add_representation(request: HttpRequest, pk: int) -> HttpResponse:
    resident = resident_get(viewer=request.user, pk=pk)
    housemates = _housemates(request.user, resident)
    form = RepresentationForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        resident=resident,
        housemates=housemates,
    )
    valid = form.is_bound and form.is_valid()
    if form.searched_by_bsn:
        # Looking up a resident by BSN is a search; the BSN itself is not logged.
        access_log_record(
            acting_user=request.user,
            action=Action.SEARCH,
            object_type="residents.resident",
            request=request,
            purpose="representation",
        )
    if valid:
        try:
            representation_add(
                acting_user=request.user, resident=resident, data=form.data_for_service, request=request
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("De vertegenwoordiger is toegevoegd."))
            return _to_resident(resident)
    access_log_read(request=request, obj=resident, purpose="representation")
    return render(request, "residents/manage_representation.html", {"resident": resident, "form": form})


# --- Consents -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("residents.view_resident", "residents.add_consent")
def add_consent(request: HttpRequest, pk: int) -> HttpResponse:
    resident = resident_get(viewer=request.user, pk=pk)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            consent_record(
                acting_user=request.user,
                resident=resident,
                purpose=data["purpose"],
                scope=data["scope"],
                organisation=data["organisation"],
                legal_basis=data["legal_basis"],
                given_by=data["given_by"],
                request=request,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("De toestemming is vastgelegd."))
            return _to_resident(resident)
    access_log_read(request=request, obj=resident, purpose="consent")
    return render(request, "residents/manage_consent.html", {"resident": resident, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("residents.view_resident", "residents.change_consent")
def withdraw_consent(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    """GET asks for confirmation; POST withdraws (the record stays, with the withdrawal)."""
    resident = resident_get(viewer=request.user, pk=pk)
    try:
        consent = resident.consents.select_related("organisation", "recorded_by").get(pk=consent_pk)
    except Consent.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        if consent.withdrawn_at is not None:
            messages.info(request, _("Deze toestemming was al ingetrokken."))
        else:
            consent_withdraw(acting_user=request.user, consent=consent, request=request)
            messages.success(request, _("De toestemming is ingetrokken."))
        return _to_resident(resident)
    consent.scope_labels = [SCOPE_LABELS.get(code, code) for code in consent.scope]
    access_log_read(request=request, obj=resident, purpose="consent")
    return render(
        request, "residents/manage_consent_withdraw.html", {"resident": resident, "consent": consent}
    )


# --- Self-reliance ------------------------------------------------------------------------


@dataclass
class Cell:
    score: int | None
    change: str = ""  # "better", "worse", "same", or "" when there is nothing to compare with
    previous: int | None = None


@dataclass
class Row:
    domain: AssessmentDomain
    cells: list[Cell] = field(default_factory=list)


def _instrument(request: HttpRequest) -> tuple[AssessmentInstrument | None, list[AssessmentInstrument]]:
    """The instrument chosen with ?meetinstrument=<code>, else the ZRM, else the first."""
    instruments = list(AssessmentInstrument.objects.order_by("name"))
    by_code = {instrument.code: instrument for instrument in instruments}
    wanted = request.GET.get("meetinstrument", "")
    chosen = by_code.get(wanted) or by_code.get(DEFAULT_INSTRUMENT) or next(iter(instruments), None)
    return chosen, instruments


def _comparison(
    resident: Resident, instrument: AssessmentInstrument, domains: list[AssessmentDomain]
) -> tuple[list[Assessment], list[Row]]:
    """The resident's measurements, newest first, and per domain the scores with their change.

    Three queries whatever the number of measurements: the measurements with who took them,
    and their scores. A higher score is more self-reliant, so a rise is "better".
    """
    assessments = list(
        Assessment.objects.filter(resident=resident, instrument=instrument)
        .select_related("assessed_by")
        .prefetch_related("scores")
        .order_by("-assessed_at", "-pk")
    )
    by_assessment = [{score.domain_id: score.score for score in a.scores.all()} for a in assessments]
    rows = []
    for domain in domains:
        scores = [scores.get(domain.pk) for scores in by_assessment]
        row = Row(domain)
        for index, score in enumerate(scores):
            previous = scores[index + 1] if index + 1 < len(scores) else None
            change = ""
            if score is not None and previous is not None:
                change = "better" if score > previous else "worse" if score < previous else "same"
            row.cells.append(Cell(score, change, previous))
        rows.append(row)
    return assessments, rows


@require_http_methods(["GET", "POST"])
@permission_required("residents.view_resident", "contacts.view_assessment")
def assessments(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's self-reliance measurements side by side, and a form for a new one."""
    resident = resident_get(viewer=request.user, pk=pk)
    instrument, instruments = _instrument(request)
    may_add = request.user.has_perm("contacts.add_assessment")
    form = None
    domains: list[AssessmentDomain] = []
    if instrument is not None:
        domains = list(instrument.domains.all())
        if request.method == "POST":
            if not may_add:
                access_log_refused(request=request, object_type="contacts.assessment")
                raise PermissionDenied
            form = AssessmentForm(request.POST, instrument=instrument, domains=domains)
            if form.is_valid():
                try:
                    assessment_record(
                        acting_user=request.user,
                        resident=resident,
                        scores=form.scores,
                        instrument_code=instrument.code,
                        request=request,
                    )
                except ValidationError as error:
                    form.add_service_errors(error)
                else:
                    messages.success(request, _("De meting is opgeslagen."))
                    url = reverse("residents:assessments", kwargs={"pk": resident.pk})
                    if instrument.code != DEFAULT_INSTRUMENT:
                        url += f"?meetinstrument={instrument.code}"
                    return redirect(url)
        elif may_add:
            form = AssessmentForm(instrument=instrument, domains=domains)
    measured, rows = _comparison(resident, instrument, domains) if instrument else ([], [])
    if form is not None and measured:
        # Under each domain of the form: its score in the latest measurement.
        latest = {row.domain.code: row.cells[0].score for row in rows}
        for bound in form:
            score = latest.get(form.domain_codes[bound.name])
            bound.previous_text = _("Vorige meting: %(score)s") % {
                "score": score_label(instrument, score) if score is not None else _("niet gemeten"),
            }
    access_log_read(request=request, obj=resident, purpose="self_reliance")
    return render(
        request,
        "residents/manage_assessments.html",
        {
            "resident": resident,
            "instrument": instrument,
            "instruments": instruments,
            "assessments": measured,
            "rows": rows,
            "form": form,
            "score_labels": ZRM_SCORE_LABELS if instrument and instrument.code == "zrm" else {},
            "latest": measured[0] if measured else None,
        },
    )
