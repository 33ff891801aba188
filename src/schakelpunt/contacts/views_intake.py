"""The intake screen: find or create the resident, register the contact and its questions at once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from schakelpunt.audit.services import access_log_read
from schakelpunt.contacts.forms import IntakeContactForm, IntakeForms
from schakelpunt.contacts.models import Contact, LifeDomain, Question
from schakelpunt.contacts.services import intake_register
from schakelpunt.core.access import permission_required
from schakelpunt.organisations.models import Desk, Location
from schakelpunt.residents.forms import ResidentSearchForm
from schakelpunt.residents.models import Resident
from schakelpunt.residents.selectors import resident_get
from schakelpunt.residents.services import resident_create

RESIDENT_CHOICE = "resident-choice"  # id of the "Voor wie" block that a picked search result replaces


def _desks(user) -> list[Desk]:
    """The desks where the user registers contacts, each with its active locations."""
    return list(
        user.desks.filter(is_active=True)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "locations",
                queryset=Location.objects.filter(is_active=True).order_by("name"),
                to_attr="active_locations",
            )
        )
    )


def _chosen_resident(request: HttpRequest) -> Resident | None:
    """The resident picked from the search (``inwoner``), through the access rules: 404 if not visible."""
    params = request.POST if request.method == "POST" else request.GET
    value = params.get("inwoner", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return resident_get(viewer=request.user, pk=int(value))


def _register_lookup_form(user):
    """The lookup in the population register (contrib.brp), for who may use it; else None."""
    from schakelpunt.contrib.brp.forms import RegisterLookupForm
    from schakelpunt.contrib.brp.views import LOOKUP_PERMISSIONS

    return RegisterLookupForm() if user.has_perms(LOOKUP_PERMISSIONS) else None


def _after_save(resident: Resident | None) -> str:
    """The resident's page when there is one, otherwise a fresh intake screen."""
    if resident is not None:
        try:
            return reverse("residents:detail", args=[resident.pk])
        except NoReverseMatch:
            pass
    return reverse("contacts:intake")


def _wmo_question(user, resident: Resident | None, contact: Contact) -> Question | None:
    """The first question of the new contact with the outcome "Wmo-melding", when the user may
    make the report (and the resident is known): intake then continues with the report's form."""
    if resident is None or not user.has_perm("wmo.add_wmoreport"):
        return None
    return contact.questions.filter(outcome=Question.Outcome.WMO_REPORT).order_by("pk").first()


def _save(request: HttpRequest, screen: IntakeForms, desk: Desk) -> tuple[Resident | None, Contact]:
    """Create the new resident (if any) and register the contact, all or nothing.

    A service's ValidationError is put next to the fields it names and raised again, which
    rolls back the whole transaction: a new resident is not kept without its contact.
    """
    who = screen.contact.cleaned_data["who"]
    resident = screen.resident if who == IntakeContactForm.KNOWN else None
    with transaction.atomic():
        if who == IntakeContactForm.NEW:
            try:
                resident = resident_create(
                    acting_user=request.user,
                    desk=desk,
                    data=screen.new_resident.data_for_service,
                    request=request,
                )
            except ValidationError as error:
                screen.new_resident.add_service_errors(error)
                raise
        try:
            contact = intake_register(
                acting_user=request.user,
                desk=desk,
                contact=screen.contact.contact_data,
                questions=screen.questions_data,
                resident=resident,
                request=request,
            )
        except ValidationError as error:
            screen.add_service_errors(error)
            raise
    return resident, contact


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("contacts.add_contact", "contacts.add_question")
def intake(request: HttpRequest) -> HttpResponse:
    desks = _desks(request.user)
    resident = _chosen_resident(request)
    context: dict = {"desks": desks, "resident": resident}
    if not desks:
        return render(request, "contacts/intake.html", context)
    domains = list(LifeDomain.objects.filter(is_active=True).order_by("position", "name"))
    options = {"user": request.user, "desks": desks, "domains": domains, "resident": resident}

    extra_question = request.method == "POST" and "nog_een_vraag" in request.POST
    if request.method == "POST":
        screen = IntakeForms(data=request.POST, extra_question=extra_question, **options)
        if extra_question:
            screen.quiet()
        elif screen.is_valid():
            try:
                saved_for, contact = _save(request, screen, screen.contact.cleaned_data["desk"])
            except ValidationError:
                pass  # the errors are on the forms; nothing was saved
            else:
                if (wmo_question := _wmo_question(request.user, saved_for, contact)) is not None:
                    messages.success(request, _("Contact opgeslagen. Leg nu de Wmo-melding vast."))
                    return redirect("wmo:create-from-question", pk=wmo_question.pk)
                messages.success(request, _("Contact opgeslagen"))
                return redirect(_after_save(saved_for))
    else:
        screen = IntakeForms(data=None, **options)

    if resident is not None:
        # The chosen resident is shown: opening a search result counts as reading it.
        access_log_read(request=request, obj=resident, purpose="intake")
    search_form = ResidentSearchForm()
    if request.method == "GET":
        # Start typing at once: in the search, or in the question when the resident is known.
        if resident is None:
            search_form.fields["q"].widget.attrs["autofocus"] = True
        else:
            screen.questions.forms[0].fields["question_text"].widget.attrs["autofocus"] = True
    context.update(
        {
            "screen": screen,
            "form": screen.contact,
            "search_form": search_form,
            "brp_form": _register_lookup_form(request.user),
            "show_error_summary": request.method == "POST" and not extra_question,
        }
    )
    template = "contacts/intake.html"
    if request.htmx and request.htmx.target == RESIDENT_CHOICE and request.method == "GET":
        template += "#picked"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
