from django.urls import path

from schakelpunt.wmo import urls_documents, views

app_name = "wmo"

# Included under /wmo/. The documents' pages (upload, download, the conversation report as PDF)
# live in their own module, urls_documents.py.
urlpatterns = [
    path("", views.work, name="work"),
    path("overzicht/", views.overview, name="overview"),
    path("nieuw/vraag/<int:pk>/", views.create_from_question, name="create-from-question"),
    path("nieuw/inwoner/<int:pk>/", views.create_for_resident, name="create-for-resident"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/stap/<slug:slug>/", views.step, name="step"),
    *urls_documents.urlpatterns,
]
