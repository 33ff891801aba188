from django.urls import path

from schakelpunt.referrals import views

app_name = "referrals"

urlpatterns = [
    path("vragen/<int:pk>/doorverwijzen/", views.referral_create_view, name="create"),
    path("verwijzingen/", views.desk_list, name="desk-list"),
    path("partner/verwijzingen/", views.inbox, name="inbox"),
    path("verwijzingen/<int:pk>/", views.detail, name="detail"),
    path("verwijzingen/<int:pk>/status/", views.transition, name="transition"),
]
