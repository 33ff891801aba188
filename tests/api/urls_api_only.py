"""Only the API, for walking its URLs apart from the rest of the site."""

from django.urls import include, path

urlpatterns = [path("api/", include("schakelpunt.api.urls"))]
