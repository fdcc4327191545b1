from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "oneroof.demo"
    label = "demo"
