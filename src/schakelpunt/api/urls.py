from django.urls import include, path

from schakelpunt.api import views
from schakelpunt.contacts import api as contacts_api
from schakelpunt.referrals import api as referrals_api
from schakelpunt.residents import api as residents_api
from schakelpunt.wmo import api as wmo_api

app_name = "api"

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    # Search is a POST: a BSN, name or birth date in the query must never be part of a URL.
    path("residents/search/", residents_api.ResidentSearchView.as_view(), name="resident-search"),
    path("residents/<int:pk>/", residents_api.ResidentDetailView.as_view(), name="resident-detail"),
    path("contacts/", contacts_api.ContactListView.as_view(), name="contact-list"),
    path("contacts/<int:pk>/", contacts_api.ContactDetailView.as_view(), name="contact-detail"),
    path("questions/", contacts_api.QuestionListView.as_view(), name="question-list"),
    path("questions/<int:pk>/", contacts_api.QuestionDetailView.as_view(), name="question-detail"),
    path("referrals/", referrals_api.ReferralListView.as_view(), name="referral-list"),
    path("referrals/<int:pk>/", referrals_api.ReferralDetailView.as_view(), name="referral-detail"),
    path(
        "referrals/<int:pk>/status/",
        referrals_api.ReferralTransitionView.as_view(),
        name="referral-transition",
    ),
    path("wmo/reports/", wmo_api.WmoReportListView.as_view(), name="wmo-report-list"),
    path("wmo/reports/<int:pk>/", wmo_api.WmoReportDetailView.as_view(), name="wmo-report-detail"),
    path(
        "wmo/reports/<int:pk>/status/",
        wmo_api.WmoReportTransitionView.as_view(),
        name="wmo-report-transition",
    ),
    path("hsds/", include("schakelpunt.directory.api_urls")),
]
