from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from schakelpunt.accounts import views as account_views
from schakelpunt.core import views as core_views
from schakelpunt.core.access import public

admin.site.site_header = "Schakelpunt – beheer"
admin.site.site_title = "Schakelpunt"

urlpatterns = [
    path("", include("schakelpunt.core.urls")),
    path("", include("schakelpunt.accounts.urls")),
    path("", include("schakelpunt.organisations.urls")),
    path("", include("schakelpunt.audit.urls")),
    path("inwoners/", include("schakelpunt.residents.urls")),
    path("", include("schakelpunt.contacts.urls")),
    path("brp/", include("schakelpunt.contrib.brp.urls")),
    path("", include("schakelpunt.directory.urls")),
    path("", include("schakelpunt.referrals.urls")),
    path("wmo/", include("schakelpunt.wmo.urls")),
    path("", include("schakelpunt.signalling.urls")),
    path("", include("schakelpunt.insights.urls")),
    path("api/", include("schakelpunt.api.urls")),
    # One login for everything: the admin site's own login and logout hand over to ours,
    # so the lockout and session rules apply there too.
    path("beheer/login/", account_views.admin_login),
    path("beheer/logout/", account_views.logout),
    path("beheer/", admin.site.urls),
    # Pages that link no icon (the admin site's) make browsers ask for /favicon.ico.
    path("favicon.ico", core_views.favicon),
    path(
        "taal/",
        public("everyone may choose the interface language")(set_language),
        name="set-language",
    ),
]
