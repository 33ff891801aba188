from django.urls import path

from schakelpunt.contrib.brp import views

app_name = "brp"

urlpatterns = [
    path("zoeken/", views.lookup, name="lookup"),
    path("overnemen/", views.adopt, name="adopt"),
    path("verwerkingen/", views.runs, name="runs"),
]
