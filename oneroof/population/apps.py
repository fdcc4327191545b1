from django.apps import AppConfig


class PopulationConfig(AppConfig):
    name = "oneroof.population"
    label = "population"
    verbose_name = "Population health"

    def ready(self) -> None:
        from oneroof.core.record_sections import RecordSection, register_record_section

        from .record import load_cohort_section

        register_record_section(
            RecordSection(
                key="cohorts",
                title="Proactive care",
                template="population/record_section.jinja",
                load=load_cohort_section,
                order=50,
            )
        )
