from django.apps import AppConfig
from django.db.models import Q


class ReferralsConfig(AppConfig):
    name = "oneroof.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from oneroof.access.signals import appointment_changed
        from oneroof.core.record_sections import RecordSection, register_record_section
        from oneroof.people.access import register_relationship

        from .booking import keep_in_step
        from .models import ReferralStatus
        from .record_section import load_referrals

        # A service that has accepted a referral for the person (and not finished) has a
        # legitimate relationship with them, for its triagers: only once the person's identity
        # was confirmed and the acceptance granted it (not a public self-referral that only the
        # triager vouches for: that is a self-claimed relationship, in audit). A referral still
        # waiting to be looked at gives nothing: anyone can send one. Sending one is not a
        # relationship either: an external referrer never opens the record.
        register_relationship(
            "open_referral",
            lambda user: Q(
                referrals__service__triagers__user=user,
                referrals__status__in=ReferralStatus.relationship_values(),
                referrals__relationship_granted=True,
            ),
        )
        appointment_changed.connect(keep_in_step, dispatch_uid="referrals.keep_in_step")
        register_record_section(
            RecordSection(
                key="referrals",
                title="Referrals",
                template="referrals/record_section.jinja",
                load=load_referrals,
                order=50,
            )
        )
