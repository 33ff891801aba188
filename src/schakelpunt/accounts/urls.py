from django.urls import path

from schakelpunt.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("uitloggen/", views.logout, name="logout"),
]
