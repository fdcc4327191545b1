"""How a resident proves who they are: the seam where NHS login plugs in.

NHS login is an OpenID Connect provider. After sign-in it tells the service, in the ID token and
userinfo, the resident's `sub`, `nhs_number`, `birthdate` and `identity_proofing_level` (P9 is
"verified to the high level", needed before a service shows health records). OneRoof works from
exactly those claims: `ResidentClaims`. A provider's only job is to turn a request into verified
claims; `resident_user_for` then links them to the resident's record.

The demo provider checks a demo username and password and issues P9 claims for the resident.
An NHS login provider would redirect to the authorisation endpoint and, on the callback, verify
the ID token and build the same claims; nothing after this module would change.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import authenticate, get_user_model
from django.db import transaction

from oneroof.people.models import Person

HIGH_PROOFING = "P9"


@dataclass(frozen=True)
class ResidentClaims:
    subject: str  # sub: the provider's stable id for this resident
    nhs_number: str  # nhs_number
    birth_date: date  # birthdate
    proofing_level: str  # identity_proofing_level: P0, P5 or P9
    email: str = ""


class NotVerified(Exception):
    """The resident's identity is not proven to the level needed to see a health record."""


class NoRecord(Exception):
    """No resident with this NHS number and date of birth."""


@transaction.atomic
def resident_user_for(claims: ResidentClaims):
    """The sign-in user for the resident these claims prove, creating it on first sign-in."""
    if claims.proofing_level != HIGH_PROOFING:
        raise NotVerified("Prove who you are with NHS login to see your record")
    person = Person.objects.for_identity(
        nhs_number=claims.nhs_number, birth_date=claims.birth_date
    ).first()
    if person is None:
        raise NoRecord("We could not find your record. Contact your GP surgery.")
    if person.user_id is None:
        person.user = get_user_model().objects.create_user(
            username=f"resident:{claims.subject}", email=claims.email
        )
        person.save(update_fields=["user"])
    return person.user


class DemoIdentityProvider:
    """Stands in for NHS login in the demo: a demo resident's username and password."""

    name = "Demo sign-in (stands in for NHS login)"

    def claims_for(self, request, *, username: str, password: str) -> ResidentClaims | None:
        user = authenticate(request, username=username, password=password)
        person = getattr(user, "person", None) if user is not None else None
        if person is None:
            return None
        return ResidentClaims(
            subject=f"demo-{user.pk}",
            nhs_number=person.nhs_number,
            birth_date=person.birth_date,
            proofing_level=HIGH_PROOFING,
            email=user.email,
        )
