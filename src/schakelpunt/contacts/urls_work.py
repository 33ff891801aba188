from django.urls import path

from schakelpunt.contacts import views_work

# Work lists, the question page and its edit form, and finishing a follow-up.
urlpatterns = [
    path("werklijst/", views_work.work, name="work"),
    path("vragen/<int:pk>/", views_work.question_detail, name="question"),
    path("vragen/<int:pk>/bewerken/", views_work.question_edit, name="question-edit"),
    path("opvolgingen/<int:pk>/afgerond/", views_work.follow_up_done, name="follow-up-done"),
]
