from django.urls import path

from schakelpunt.contacts import views_intake

# The intake screen: one page to find or create the resident and register contact and questions.
urlpatterns = [
    path("intake/", views_intake.intake, name="intake"),
]
