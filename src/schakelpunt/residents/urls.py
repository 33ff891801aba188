from schakelpunt.residents import urls_detail, urls_manage, urls_search

app_name = "residents"

# Searching residents (used by intake) and the resident's own page with the timeline.
urlpatterns = [*urls_search.urlpatterns, *urls_detail.urlpatterns, *urls_manage.urlpatterns]
