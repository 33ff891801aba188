"""URLs of a Wmo report's documents; added to ``wmo/urls.py`` (under /wmo/, namespace "wmo")."""

from django.urls import path

from schakelpunt.wmo import views_documents

urlpatterns = [
    path("<int:pk>/documenten/", views_documents.document_list, name="documents"),
    path("<int:pk>/documenten/toevoegen/", views_documents.document_add, name="document-add"),
    path(
        "<int:pk>/documenten/<int:document_pk>/",
        views_documents.document_download,
        name="document-download",
    ),
    path("<int:pk>/verslag.pdf", views_documents.conversation_report, name="conversation-report-pdf"),
]
