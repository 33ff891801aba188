from django.urls import path

from schakelpunt.residents import views_manage

# Looking after a resident: details, representatives, consents and self-reliance.
urlpatterns = [
    path("<int:pk>/bewerken/", views_manage.edit, name="edit"),
    path("<int:pk>/vertegenwoordigers/nieuw/", views_manage.add_representation, name="representation-add"),
    path("<int:pk>/toestemmingen/nieuw/", views_manage.add_consent, name="consent-add"),
    path(
        "<int:pk>/toestemmingen/<int:consent_pk>/intrekken/",
        views_manage.withdraw_consent,
        name="consent-withdraw",
    ),
    path("<int:pk>/zelfredzaamheid/", views_manage.assessments, name="assessments"),
]
