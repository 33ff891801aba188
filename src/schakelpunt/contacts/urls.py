from schakelpunt.contacts import urls_intake, urls_work

app_name = "contacts"

# The intake screen and the work on questions (work lists, question pages) in their own modules.
urlpatterns = [*urls_intake.urlpatterns, *urls_work.urlpatterns]
