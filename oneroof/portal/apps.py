from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "oneroof.portal"
    label = "portal"
