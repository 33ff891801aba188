from django.urls import path

from schakelpunt.audit import views

app_name = "audit"

urlpatterns = [
    path("toegangslog/", views.log, name="log"),
    path("toegangslog/export/", views.export, name="export"),
]
