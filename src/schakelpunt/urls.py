from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from schakelpunt.core.access import public

admin.site.site_header = "Schakelpunt – beheer"
admin.site.site_title = "Schakelpunt"

urlpatterns = [
    path("", include("schakelpunt.core.urls")),
    path("", include("schakelpunt.accounts.urls")),
    path("", include("schakelpunt.organisations.urls")),
    path("", include("schakelpunt.audit.urls")),
    path("api/", include("schakelpunt.api.urls")),
    path("beheer/", admin.site.urls),
    path(
        "taal/",
        public("everyone may choose the interface language")(set_language),
        name="set-language",
    ),
]
