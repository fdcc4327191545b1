"""Telling the referrer and the person that a referral's status changed, by email.

The emails say only that something changed and where to see it. Email is not a safe place for
health information: it is read on shared devices, forwarded, sent to the wrong address and kept
by mail providers outside the NHS. Even the service's name can say too much ("early
intervention in psychosis"), and a referrer's mailbox may be shared. So no name of the person or
the service, no status, no reason: the detail is behind a sign-in.
"""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

SUBJECT = "A OneRoof referral has been updated"
TO_PERSON = (
    "There is news about your referral.\n\n"
    "Sign in to OneRoof to see it, or contact the service if you cannot sign in.\n"
)
TO_REFERRER = "There is news about a referral you sent.\n\nSign in to OneRoof to see it.\n"


def recipients(referral) -> list[tuple[str, str]]:
    """(address, body) for the referrer and the person, once each."""
    messages = []
    requester = referral.requester
    if requester is not None and requester.user.email:
        messages.append((requester.user.email, TO_REFERRER))
    person_address = referral.email or (referral.person.email if referral.person else "")
    if person_address and person_address not in {address for address, _ in messages}:
        messages.append((person_address, TO_PERSON))
    return messages


def notify_status_change(referral) -> None:
    """Queue one email to each of the referrer and the person, sent only if the change commits
    (a rolled-back change must not tell anyone anything). A mail server that is down is logged
    and does not undo or fail the change (`robust`)."""
    for address, body in recipients(referral):
        transaction.on_commit(
            partial(
                send_mail,
                SUBJECT,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [address],
                fail_silently=False,
            ),
            robust=True,
        )
