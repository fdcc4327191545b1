from django.apps import AppConfig
from django.db.models import Q


class CareConfig(AppConfig):
    name = "oneroof.care"
    label = "care"
    verbose_name = "Care"

    def ready(self) -> None:
        from oneroof.people.access import register_relationship

        from .models import TaskStatus

        register_relationship(
            "care_team",
            lambda user: (
                Q(
                    care_team__members__professional__user=user,
                    care_team__members__period_end__isnull=True,
                )
                | Q(care_team__coordinator__user=user)
            ),
        )
        register_relationship(
            "open_task",
            lambda user: Q(tasks__owner__user=user, tasks__status__in=TaskStatus.open_values()),
        )
