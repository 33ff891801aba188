from django.urls import path

from schakelpunt.residents import views_search

# The resident search of the intake screen (an htmx fragment, or a page without JavaScript).
urlpatterns = [
    path("zoeken/", views_search.search, name="search"),
]
