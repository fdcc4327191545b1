from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "oneroof.people"
    label = "people"
    verbose_name = "People"
