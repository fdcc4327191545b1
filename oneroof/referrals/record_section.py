"""The Referrals section of the whole-person record: one query, whatever the number."""

from django.utils import timezone

from .models import Referral
from .presenters import clock, referrer_text, status_tag


def load_referrals(person, user) -> dict:
    """The person's referrals, newest first, for a record the caller has already authorised."""
    now = timezone.now()
    referrals = list(
        Referral.objects.for_person(person).select_related("service", "requester__organisation")
    )
    return {
        "referrals": [
            {
                "referral": referral,
                "from": referrer_text(referral),
                "tag": status_tag(referral.status),
                "clock": clock(referral, now=now),
            }
            for referral in referrals
        ]
    }
