from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "oneroof.workforce"
    label = "workforce"
    verbose_name = "Workforce"
