from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oneroof.audit"
    label = "audit"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .lockout import on_sign_in_failed, on_signed_in

        user_login_failed.connect(on_sign_in_failed, dispatch_uid="oneroof.audit.lockout.failed")
        user_logged_in.connect(on_signed_in, dispatch_uid="oneroof.audit.lockout.succeeded")
