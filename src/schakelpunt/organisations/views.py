from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from schakelpunt.core.access import permission_required, public
from schakelpunt.organisations.selectors import participation_list, public_desks


@require_GET
@public("public information about where and when residents can visit the desk")
def desk_list(request: HttpRequest) -> HttpResponse:
    return render(request, "organisations/desk_list.html", {"desks": public_desks()})


@require_GET
@public("public information about where and when residents can visit the desk")
def desk_detail(request: HttpRequest, slug: str) -> HttpResponse:
    desk = get_object_or_404(public_desks(), slug=slug)
    return render(request, "organisations/desk_detail.html", {"desk": desk})


@require_GET
@permission_required("organisations.view_participation")
def participants(request: HttpRequest) -> HttpResponse:
    page = Paginator(participation_list(viewer=request.user), 50).get_page(request.GET.get("pagina"))
    return render(request, "organisations/participants.html", {"page": page})
