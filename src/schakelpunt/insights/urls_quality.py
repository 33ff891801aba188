"""The quality scan, the self-assessment, the reach analysis and the population import.

Included from ``insights/urls.py`` without a namespace of its own, so the names are
``insights:quality``, ``insights:reach`` and so on.
"""

from django.urls import path

from schakelpunt.insights import views_quality as views

urlpatterns = [
    path("inzicht/kwaliteit/", views.quality_view, name="quality"),
    path("inzicht/kwaliteit/export/<slug:table>.csv", views.quality_export_csv, name="quality-export-csv"),
    path("inzicht/kwaliteit/export/<slug:table>.xlsx", views.quality_export_xlsx, name="quality-export-xlsx"),
    path(
        "inzicht/kwaliteit/<slug:desk>/zelfevaluatie/<int:year>/",
        views.self_assessment_view,
        name="self-assessment",
    ),
    path("inzicht/bereik/", views.reach_view, name="reach"),
    path("inzicht/bereik/export/<slug:table>.csv", views.reach_export_csv, name="reach-export-csv"),
    path("inzicht/bereik/export/<slug:table>.xlsx", views.reach_export_xlsx, name="reach-export-xlsx"),
    path("inzicht/bereik/bevolkingscijfers/", views.population_import_view, name="population-import"),
]
