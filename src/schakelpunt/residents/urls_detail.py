from django.urls import path

from schakelpunt.residents import views

# The resident's own page with the timeline.
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
]
