from django.urls import path

from schakelpunt.signalling import views

app_name = "signalling"

urlpatterns = [
    path("signalen/", views.signal_list_view, name="list"),
    path("signalen/nieuw/", views.signal_create_view, name="create"),
    path("vragen/<int:pk>/signaleren/", views.signal_from_question, name="create-from-question"),
    path("signalen/<int:pk>/", views.signal_detail, name="detail"),
    path("signalen/<int:pk>/bewerken/", views.signal_edit, name="edit"),
    path("signalen/<int:pk>/bewijs/", views.signal_evidence, name="evidence"),
    path("signalen/<int:pk>/status/", views.signal_transition_view, name="transition"),
]
