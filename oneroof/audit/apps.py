from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oneroof.audit"
    label = "audit"
