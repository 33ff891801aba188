"""The real URLs plus two mistakes, for the test of the all-URLs test."""

from django.http import HttpResponse
from django.urls import path
from rest_framework.views import APIView

from schakelpunt.core.access import PERMISSION, AccessRule
from schakelpunt.urls import urlpatterns as real_patterns


def unprotected_view(request):
    return HttpResponse("personal data for everyone")


class ClaimsProtected(APIView):
    """Declares a permission rule, but its own permission classes let everyone in."""

    access_rule = AccessRule(PERMISSION, permissions=("audit.view_accesslog",))
    permission_classes = []
    authentication_classes = []

    def get(self, request):
        return HttpResponse("personal data for everyone")


urlpatterns = [
    *real_patterns,
    path("leak/", unprotected_view, name="leak"),
    path("claims-protected/", ClaimsProtected.as_view(), name="claims-protected"),
]
