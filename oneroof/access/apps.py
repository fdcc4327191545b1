from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "oneroof.access"
    label = "access"
    verbose_name = "Access and appointments"

    def ready(self) -> None:
        from oneroof.core.record_sections import RecordSection, register_record_section
        from oneroof.people.access import register_relationship

        from .record import (
            RECORD_SECTION_TEMPLATE,
            chosen_appointment_q,
            load_record_section,
            open_appointment_q,
            self_claimed_q,
        )

        # A professional holding a booked appointment with the person, today or later, booked
        # on a basis that gives a relationship, may open their record (ADR 0014). One the person
        # booked themselves survives their objection to sharing (people.consent).
        register_relationship(
            "open_appointment", open_appointment_q, despite_objection=chosen_appointment_q
        )
        # A relationship made by one's own action: time limited, reviewed like break-glass.
        # Registered last, so that a standing relationship is named first in the audit trail.
        register_relationship("self_claimed", self_claimed_q)
        register_record_section(
            RecordSection(
                key="appointments",
                title="Appointments and continuity",
                template=RECORD_SECTION_TEMPLATE,
                load=load_record_section,
                order=20,
            )
        )
