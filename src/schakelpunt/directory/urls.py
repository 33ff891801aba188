"""The social map's pages: the desk's search, editing, and the public guide (wegwijzer).

Each part keeps its own URL list; the open HSDS API is under /api/hsds/ (api/urls.py).
"""

from schakelpunt.directory import urls_desk, urls_edit, urls_public

app_name = "directory"

urlpatterns = urls_desk.urlpatterns + urls_edit.urlpatterns + urls_public.urlpatterns
