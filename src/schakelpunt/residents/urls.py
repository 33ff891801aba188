app_name = "residents"

urlpatterns = []
