"""Signal pages: the list, raising a signal (also from a question), changing a proposal,
linking evidence, one signal with its counts and history, and its transitions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.contacts.models import Question
from schakelpunt.contacts.selectors import question_get
from schakelpunt.core.access import permission_required
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.signalling import workflow
from schakelpunt.signalling.forms import EvidenceForm, SignalFilterForm, SignalForm, TransitionForm
from schakelpunt.signalling.models import Signal
from schakelpunt.signalling.selectors import (
    candidate_questions,
    candidate_unmet_needs,
    evidence_counts,
    is_desk_side,
    linked_questions,
    linked_unmet_needs,
    moves_for,
    shown_count,
    signal_get,
    signal_list,
)
from schakelpunt.signalling.services import (
    KIND_BY_REASON,
    signal_create,
    signal_link_evidence,
    signal_transition,
    signal_update,
)

PAGE_SIZE = 25
EVIDENCE_ROWS = 100  # linked rows shown on the signal page; the counts are always complete
CANDIDATES = 50  # candidates offered at once on the evidence page (newest first)


def _log_evidence_rows(request: HttpRequest, signal: Signal) -> None:
    """The desk sees which questions show a signal: a look at a list of questions."""
    access_log_record(
        acting_user=request.user,
        action=Action.SEARCH,
        object_type="contacts.question",
        object_id="",
        request=request,
        purpose=f"signal {signal.pk}",
    )


@require_GET
@permission_required("signalling.view_signal")
def signal_list_view(request: HttpRequest) -> HttpResponse:
    """The desk's signals (proposals included) or those addressed to the user, filtered."""
    visible = Signal.objects.visible_to(request.user)
    form = SignalFilterForm(request.GET, user=request.user, visible=visible)
    filters = form.filters()
    page = Paginator(signal_list(viewer=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    page.object_list = list(page.object_list)
    for signal in page.object_list:
        exact = is_desk_side(request.user, signal)
        signal.shown_questions = shown_count(signal.question_count, exact=exact)
        signal.shown_unmet_needs = shown_count(signal.unmet_need_count, exact=exact)
    filtered = any((filters.status, filters.life_domain, filters.district, filters.addressee))
    return render(
        request,
        "signalling/list.html",
        {
            "form": form,
            "page": page,
            "filtered": filtered,
            "may_add": request.user.has_perm("signalling.add_signal"),
        },
    )


def _form_page(
    request: HttpRequest, form: SignalForm, *, question: Question | None = None, signal=None, status=200
):
    return render(
        request,
        "signalling/form.html",
        {
            "form": form,
            "question": question,
            "signal": signal,
            "has_desk": "desk" not in form.fields or form.fields["desk"].queryset.exists(),
        },
        status=status,
    )


def _create(request: HttpRequest, *, question: Question | None, initial: dict) -> HttpResponse:
    form = SignalForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signal = signal_create(
                acting_user=request.user,
                desk=data["desk"],
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                life_domain=data["life_domain"],
                unmet_reason=data["unmet_reason"],
                municipality=data["municipality"],
                district=data["district"],
                addressed_to=data["addressed_to"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                questions=[question] if question is not None else [],
                request=request,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _(
                    "Het signaal is vastgelegd als voorstel. Koppel meer hulpvragen als bewijs; "
                    "de coördinator verstuurt het."
                ),
            )
            return redirect("signalling:detail", pk=signal.pk)
    return _form_page(request, form, question=question, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permission_required("signalling.view_signal", "signalling.add_signal")
def signal_create_view(request: HttpRequest) -> HttpResponse:
    first_desk = request.user.desks.filter(is_active=True).order_by("name").first()
    initial = {}
    if first_desk is not None:
        initial = {"desk": first_desk, "municipality": first_desk.municipalities.order_by("name").first()}
    return _create(request, question=None, initial=initial)


@require_http_methods(["GET", "POST"])
@permission_required("contacts.view_question", "signalling.view_signal", "signalling.add_signal")
def signal_from_question(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Signaleren" on the question page: the form filled in from the question, which becomes
    the signal's first evidence."""
    question = question_get(viewer=request.user, pk=pk)
    district = question.resident.district if question.resident_id else None
    desk = question.contact.desk
    municipality = (
        district.municipality
        if district is not None
        else (question.resident.municipality if question.resident_id else None)
    ) or desk.municipalities.order_by("name").first()
    initial = {
        "desk": desk,
        "municipality": municipality,
        "district": district,
        "life_domain": question.domains.order_by("position").first(),
        "unmet_reason": question.unmet_reason,
        "kind": KIND_BY_REASON.get(question.unmet_reason, Signal.Kind.GAP),
    }
    if question.resident_id:
        access_log_record(
            acting_user=request.user,
            action=Action.READ,
            object_type="contacts.question",
            object_id=question.pk,
            request=request,
            purpose="signal",
            on_behalf_of=on_behalf_of_resident(question.resident_id),
        )
    return _create(request, question=question, initial=initial)


def _desk_signal(request: HttpRequest, pk: int) -> Signal:
    """A signal of the user's desk; anyone else gets the same 404 as for a missing one."""
    signal = signal_get(viewer=request.user, pk=pk)
    if not is_desk_side(request.user, signal):
        raise Http404
    return signal


@require_http_methods(["GET", "POST"])
@permission_required("signalling.view_signal", "signalling.add_signal")
def signal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _desk_signal(request, pk)
    if signal.status != Signal.Status.PROPOSED:
        messages.info(request, _("Een verstuurd signaal kan niet meer worden gewijzigd."))
        return redirect("signalling:detail", pk=signal.pk)
    initial = {
        name: getattr(signal, name)
        for name in (
            "title",
            "description",
            "kind",
            "life_domain",
            "unmet_reason",
            "municipality",
            "district",
            "addressed_to",
            "period_start",
            "period_end",
            "version",
        )
    }
    form = SignalForm(
        request.POST if request.method == "POST" else None, user=request.user, editing=signal, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["period_start"] = data["period_start"] or signal.period_start
        data["period_end"] = data["period_end"] or signal.period_end
        try:
            signal_update(
                acting_user=request.user, signal=signal, expected_version=version, request=request, **data
            )
        except ConflictError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Het voorstel is gewijzigd."))
            return redirect("signalling:detail", pk=signal.pk)
    return _form_page(request, form, signal=signal, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permission_required("signalling.view_signal", "signalling.add_signal", "contacts.view_question")
def signal_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Link more evidence: the desk's questions without suitable supply and its rejected
    referrals, those matching the signal first (``?alle=1``: all of them)."""
    signal = _desk_signal(request, pk)
    if signal.is_closed:
        messages.info(request, _("Dit signaal is afgesloten: er kan geen bewijs meer bij."))
        return redirect("signalling:detail", pk=signal.pk)
    matching = request.GET.get("alle") != "1"
    questions = candidate_questions(viewer=request.user, signal=signal, matching=matching)
    needs = candidate_unmet_needs(viewer=request.user, signal=signal, matching=matching)
    form = EvidenceForm(
        request.POST if request.method == "POST" else None,
        question_choices=questions,
        unmet_need_choices=needs,
        visible_questions=Question.objects.visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["questions"])
        if data["question_number"] is not None:
            chosen.append(data["question_number"])
        try:
            added_questions, added_needs = signal_link_evidence(
                acting_user=request.user,
                signal=signal,
                questions=chosen,
                unmet_needs=list(data["unmet_needs"]),
                request=request,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Gekoppeld: %(questions)s hulpvragen en %(needs)s onvervulde behoeften.")
                % {"questions": added_questions, "needs": added_needs},
            )
            return redirect("signalling:detail", pk=signal.pk)
    question_rows = list(questions[:CANDIDATES])
    need_rows = list(needs[:CANDIDATES])
    if question_rows or need_rows:
        _log_evidence_rows(request, signal)
    return render(
        request,
        "signalling/evidence.html",
        {
            "signal": signal,
            "form": form,
            "matching": matching,
            "question_rows": question_rows,
            "need_rows": need_rows,
            "limit": CANDIDATES,
            "chosen_questions": {str(value) for value in form["questions"].value() or []},
            "chosen_needs": {str(value) for value in form["unmet_needs"].value() or []},
        },
        status=400 if form.errors else 200,
    )


def _render_detail(request: HttpRequest, signal: Signal, failed_form=None, status=200) -> HttpResponse:
    user = request.user
    desk_side = is_desk_side(user, signal)
    counts = evidence_counts(signal)
    questions = needs = None
    if desk_side and user.has_perm("contacts.view_question"):
        # Rows only for the desk, and only those the user may open; everyone else gets counts.
        questions = list(linked_questions(viewer=user, signal=signal)[:EVIDENCE_ROWS])
        needs = list(linked_unmet_needs(viewer=user, signal=signal)[:EVIDENCE_ROWS])
        if questions or needs:
            _log_evidence_rows(request, signal)
    forms = []
    for move in moves_for(user, signal):
        if failed_form is not None and failed_form.data.get("to_status") == move:
            form = failed_form
        else:
            form = TransitionForm(initial={"to_status": move, "version": signal.version}, move=move)
        forms.append(
            {
                "move": move,
                "label": workflow.TRANSITION_LABELS[move],
                "form": form,
                "open": form is failed_form,
            }
        )
    return render(
        request,
        "signalling/detail.html",
        {
            "signal": signal,
            "desk_side": desk_side,
            "counts": {
                "questions": shown_count(counts.questions, exact=desk_side),
                "unmet_needs": shown_count(counts.unmet_needs, exact=desk_side),
                "residents": shown_count(counts.residents, exact=desk_side),
            },
            "questions": questions,
            "needs": needs,
            "evidence_limit": EVIDENCE_ROWS,
            "forms": forms,
            "history": signal.status_history.select_related("changed_by"),
            "may_edit": desk_side and signal.status == Signal.Status.PROPOSED,
            "may_link": desk_side and not signal.is_closed and user.has_perm("contacts.view_question"),
        },
        status=status,
    )


@require_GET
@permission_required("signalling.view_signal")
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, signal_get(viewer=request.user, pk=pk))


@require_POST
@permission_required("signalling.view_signal")
def signal_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    signal = signal_get(viewer=request.user, pk=pk)
    moves = moves_for(request.user, signal)
    if not moves:
        raise PermissionDenied
    chosen = request.POST.get("to_status")
    form = TransitionForm(request.POST, move=chosen if chosen in moves else moves[0])
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = signal_transition(
                acting_user=request.user,
                signal=signal,
                to_status=data["to_status"],
                note=data["note"],
                expected_version=data["version"],
                request=request,
            )
        except ConflictError as error:
            messages.error(request, str(error))
            return redirect("signalling:detail", pk=signal.pk)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("Het signaal staat nu op: %(status)s.") % {"status": updated.get_status_display()}
            )
            return redirect("signalling:detail", pk=signal.pk)
    return _render_detail(request, signal, failed_form=form, status=400)
