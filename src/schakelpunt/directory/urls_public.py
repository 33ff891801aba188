"""The public guide (wegwijzer): open to everyone, no login."""

from django.urls import path

from schakelpunt.directory import views_public

urlpatterns = [
    path("wegwijzer/", views_public.guide, name="guide"),
    path("wegwijzer/categorie/<uuid:pk>/", views_public.guide_category, name="guide-category"),
    path("wegwijzer/diensten/<uuid:pk>/", views_public.guide_service, name="guide-service"),
]
