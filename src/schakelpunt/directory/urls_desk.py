"""The social map at the desk: search, a service's page, advice on a question."""

from django.urls import path

from schakelpunt.directory import views_desk

urlpatterns = [
    path("sociale-kaart/", views_desk.search, name="search"),
    path("sociale-kaart/diensten/<uuid:pk>/", views_desk.service_detail, name="service-detail"),
    path("vragen/<int:pk>/advies/", views_desk.question_advice, name="question-advice"),
]
