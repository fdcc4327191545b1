from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "oneroof.fhir"
    label = "fhir"
    verbose_name = "FHIR API and import"
