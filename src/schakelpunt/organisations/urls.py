from django.urls import path

from schakelpunt.organisations import views

app_name = "organisations"

urlpatterns = [
    path("loketten/", views.desk_list, name="desk-list"),
    path("loketten/<slug:slug>/", views.desk_detail, name="desk-detail"),
    path("deelnemers/", views.participants, name="participants"),
]
