"""Rate limits on the public self-referral form (issue 10): per client address and per NHS
number, with a clear message, what was typed kept, nothing sent, and nothing person-level in
the keys or the log."""

import logging
import uuid
from datetime import date, timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from oneroof.audit import ratelimit
from oneroof.audit.models import SignInLockout, SignInThrottle
from oneroof.people.nhs_numbers import check_digit
from oneroof.referrals.models import Referral
from tests.factories import PASSWORD, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "You have sent a lot of referrals in a short time. Wait 10 minutes, then try again."


def refer_url(service):
    return reverse("self_referral:self_refer", kwargs={"public_id": service.public_id})


def number(n: int) -> str:
    """The n-th valid NHS number of the test range (999...)."""
    while True:
        first_nine = f"999{n:06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            return f"{first_nine}{digit}"
        n += 1_000


def form(nhs_number, **changes):
    values = {
        "submission_id": str(uuid.uuid4()),
        "nhs_number": nhs_number,
        "birth_date_0": "17",
        "birth_date_1": "5",
        "birth_date_2": "1990",
        "given_name": "Alex",
        "family_name": "Smith",
        "reason": "I have been feeling low for months",
        "phone": "",
        "email": "",
    }
    return {**values, **changes}


def post(client, service, data, address="203.0.113.7"):
    return client.post(refer_url(service), data, REMOTE_ADDR=address)


@override_settings(SELF_REFERRAL_LIMIT_PER_ADDRESS=(3, 60, 10, 60))
def test_one_address_is_limited_and_told_clearly_with_what_it_typed_kept(client, msk):
    for n in range(3):
        assert post(client, msk, form(number(n))).status_code == 302

    refused = post(client, msk, form(number(3), reason="Please help with my back"))

    body = refused.content.decode()
    assert refused.status_code == 429
    assert MESSAGE in body
    assert "Please help with my back" in body and number(3) in body  # kept for later
    assert Referral.objects.count() == 3
    # Another address is not held back by this one.
    assert post(client, msk, form(number(4)), address="198.51.100.9").status_code == 302


@override_settings(SELF_REFERRAL_LIMIT_PER_ADDRESS=(3, 60, 10, 60))
def test_bad_posts_count_against_the_address_too(client, msk):
    for _ in range(3):
        assert post(client, msk, form("12345")).status_code == 400
    assert post(client, msk, form(number(1))).status_code == 429
    assert not Referral.objects.exists()


@override_settings(SELF_REFERRAL_LIMIT_PER_NHS_NUMBER=(2, 24 * 60, 10, 60))
def test_one_nhs_number_is_limited_from_any_address(client, msk):
    same = number(7)
    assert post(client, msk, form(same), address="192.0.2.1").status_code == 302
    assert post(client, msk, form(same), address="192.0.2.2").status_code == 302

    refused = post(client, msk, form(same), address="192.0.2.3")

    assert refused.status_code == 429 and MESSAGE in refused.content.decode()
    assert Referral.objects.count() == 2
    assert post(client, msk, form(number(8)), address="192.0.2.3").status_code == 302


@override_settings(SELF_REFERRAL_LIMIT_PER_NHS_NUMBER=(1, 24 * 60, 10, 60))
def test_keys_and_log_hold_neither_the_nhs_number_nor_the_address(client, msk, caplog):
    same = number(9)
    with caplog.at_level(logging.DEBUG):
        post(client, msk, form(same), address="192.0.2.44")
        assert post(client, msk, form(same), address="192.0.2.45").status_code == 429
    keys = list(SignInThrottle.objects.values_list("key", flat=True))
    assert len(keys) == 3  # two addresses and one NHS number
    for key in keys:
        assert key.startswith("rate:")
        assert same not in key and "192.0.2" not in key
    assert same not in caplog.text and "192.0.2" not in caplog.text
    assert not SignInLockout.objects.exists()  # not a sign-in lockout for the privacy officer


def test_the_limit_backs_off_and_lets_through_again_after_the_lock():
    limit = ratelimit.Limit("test", 2, 60, 10, 60, "Wait {wait}")
    start = timezone.now()
    ratelimit.take(limit, "someone", at=start)
    ratelimit.take(limit, "someone", at=start + timedelta(minutes=1))
    with pytest.raises(ratelimit.RateLimited, match="Wait"):
        ratelimit.take(limit, "someone", at=start + timedelta(minutes=2))

    after_lock = start + timedelta(minutes=12)
    ratelimit.take(limit, "someone", at=after_lock)
    ratelimit.take(limit, "someone", at=after_lock + timedelta(minutes=1))
    with pytest.raises(ratelimit.RateLimited) as second:
        ratelimit.take(limit, "someone", at=after_lock + timedelta(minutes=2))
    # The second lock is twice as long as the first: 20 minutes from the use that set it.
    assert second.value.until == after_lock + timedelta(minutes=21)
    ratelimit.take(limit, "someone else", at=after_lock + timedelta(minutes=2))


def test_the_shipped_limits_let_one_person_send_five_referrals_a_day(client, msk):
    born = str(date.today().year - 30)
    for _ in range(5):
        assert post(client, msk, form(number(11), birth_date_2=born)).status_code == 302
    assert post(client, msk, form(number(11), birth_date_2=born)).status_code == 429
    assert Referral.objects.count() == 5


# Sign-in: wrong attempts per address, whatever the names -----------------------------------


@override_settings(SIGN_IN_FAILURE_LIMIT_PER_ADDRESS=(3, 10, 5, 60))
@pytest.mark.parametrize("page", ["core:sign_in", "portal:sign_in"])
def test_one_password_tried_against_many_names_is_limited_per_address(client, page):
    """The per-name lockout never trips when each name is tried once: the address does."""
    real = UserFactory()
    if page == "portal:sign_in":
        PersonFactory(user=real)
    for n in range(3):
        client.post(reverse(page), {"username": f"guess{n}", "password": "Summer2026!"})

    refused = client.post(
        reverse(page), {"username": real.username, "password": PASSWORD}, REMOTE_ADDR="127.0.0.1"
    )

    body = refused.content.decode()
    assert "Too many wrong sign-in attempts have come from your network. Wait 5 minutes" in body
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="198.51.100.20")
    signed_in = other.post(reverse(page), {"username": real.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert not SignInLockout.objects.exists()  # no name was locked
