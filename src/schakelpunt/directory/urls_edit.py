from django.urls import path

from schakelpunt.directory import views_edit

urlpatterns = [
    path("sociale-kaart/beheer/", views_edit.manage, name="manage"),
    path("sociale-kaart/beheer/diensten/nieuw/", views_edit.service_add, name="service-create"),
    path(
        "sociale-kaart/beheer/diensten/<uuid:pk>/bewerken/",
        views_edit.service_edit,
        name="service-edit",
    ),
    path(
        "sociale-kaart/beheer/diensten/<uuid:pk>/bevestigen/",
        views_edit.service_confirm_view,
        name="service-confirm",
    ),
    path(
        "sociale-kaart/beheer/diensten/<uuid:pk>/capaciteit/",
        views_edit.service_capacity,
        name="service-capacity",
    ),
    path(
        "sociale-kaart/beheer/diensten/<uuid:pk>/geschiedenis/",
        views_edit.service_history,
        name="service-history",
    ),
]
