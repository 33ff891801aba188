from django.urls import include, path

from schakelpunt.insights import views, views_exports

app_name = "insights"

urlpatterns = [
    path("inzicht/", views.dashboard_view, name="dashboard"),
    path("inzicht/export/<slug:table>.csv", views.export_csv, name="export-csv"),
    path("inzicht/export/<slug:table>.xlsx", views.export_xlsx, name="export-xlsx"),
    path("inzicht/exports/", views_exports.export_jobs_view, name="export-jobs"),
    path("inzicht/exports/jaarverslag/", views_exports.annual_report_start, name="export-annual-report"),
    path("inzicht/exports/alle-tabellen/", views_exports.all_tables_start, name="export-all-tables"),
    path("inzicht/exports/<int:pk>/download/", views_exports.export_download, name="export-download"),
    path("", include("schakelpunt.insights.urls_quality")),  # quality scan and reach analysis
]
