"""Register pages: the lookup at intake, taking a person over, and the coordinator's run overview.

Searches and the BSN go in POST bodies, never in an address. Every search and every read of
a person in the register writes an access-log row with its purpose (services). When the
register cannot be reached, the employee gets a message and goes on without it.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from schakelpunt.contrib.brp.client import BrpError
from schakelpunt.contrib.brp.forms import AdoptForm, RegisterLookupForm
from schakelpunt.contrib.brp.mapping import MalformedPerson
from schakelpunt.contrib.brp.models import SyncRun
from schakelpunt.contrib.brp.services import register_search, resident_from_register, summary_labels
from schakelpunt.core.access import permission_required

logger = logging.getLogger(__name__)

# Looking someone up in the register is done by BSN, or shows BSNs: who may not see a BSN
# (volunteers) may not use it. Taking a person over creates or changes a resident.
LOOKUP_PERMISSIONS = (
    "residents.view_resident",
    "residents.add_resident",
    "residents.change_resident",
    "residents.can_view_bsn",
)


@never_cache
@require_POST
@permission_required(*LOOKUP_PERMISSIONS)
def lookup(request: HttpRequest) -> HttpResponse:
    form = RegisterLookupForm(request.POST)
    context: dict = {"form": form, "persons": [], "message": ""}
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = register_search(
                acting_user=request.user,
                kind=data["soort"],
                bsn=data.get("bsn") or "",
                surname=data.get("geslachtsnaam") or "",
                prefix=data.get("voorvoegsel") or "",
                birth_date=data.get("geboortedatum"),
                postcode=data.get("postcode") or "",
                house_number=data.get("huisnummer"),
                addition=data.get("toevoeging") or "",
                request=request,
            )
        except BrpError as error:
            context["message"] = str(error.user_message)
            context["unavailable"] = True
        else:
            context["persons"] = result.persons
            if result.persons:
                context["message"] = _("%(count)s gevonden in het BRP.") % {"count": len(result.persons)}
            else:
                context["message"] = _("Niemand gevonden in het BRP.")
            if result.refused:
                context["message"] += " " + _("Een deel van het antwoord van het BRP was onbruikbaar.")
    else:
        context["message"] = _("Niet alles is goed ingevuld.")
    context["can_view_secret_address"] = request.user.has_perm("residents.can_view_secret_address")
    template = "brp/lookup.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_POST
@permission_required(*LOOKUP_PERMISSIONS)
def adopt(request: HttpRequest) -> HttpResponse:
    """Create the resident from the register (or bring the known one up to date), then go to intake."""
    form = AdoptForm(request.POST)
    desk = request.user.desks.filter(is_active=True).order_by("name").first()
    intake = reverse("contacts:intake")
    if not form.is_valid() or desk is None:
        messages.error(request, _("Deze persoon kan niet worden overgenomen."))
        return redirect(intake)
    try:
        resident = resident_from_register(
            acting_user=request.user, desk=desk, bsn=form.cleaned_data["bsn"], request=request
        )
    except BrpError as error:
        messages.error(request, str(error.user_message))
        return redirect(intake)
    except MalformedPerson:
        messages.error(
            request, _("Het BRP gaf onbruikbare gegevens voor deze persoon. Vul de gegevens zelf in.")
        )
        return redirect(intake)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(intake)
    messages.success(request, _("Gegevens overgenomen uit het BRP."))
    return redirect(f"{intake}?inwoner={resident.pk}")


@require_GET
@permission_required("brp.view_syncrun")
def runs(request: HttpRequest) -> HttpResponse:
    """The daily summaries: what the register changed, run by run."""
    latest = list(SyncRun.objects.visible_to(request.user).order_by("-started_at", "-id")[:30])
    labels = summary_labels()
    for run in latest:
        run.lines = [(label, run.counts[key]) for key, label in labels if run.counts.get(key)]
    return render(request, "brp/runs.html", {"runs": latest})
