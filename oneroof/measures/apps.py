from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "oneroof.measures"
    label = "measures"
    verbose_name = "Measures"
