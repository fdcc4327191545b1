from django.apps import AppConfig


class CodelistsConfig(AppConfig):
    name = "oneroof.codelists"
    label = "codelists"
