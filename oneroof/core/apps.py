from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oneroof.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="oneroof.core.idle.sign_in")
