from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "schakelpunt.api"
    label = "api"
    verbose_name = "API"
