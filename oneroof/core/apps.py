from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oneroof.core"
    label = "core"
