"""Lockout with back-off for every way in: staff and resident sign-in (through Django's
`authenticate`, watched by `LockoutBackend` and the sign-in signals) and the API's token
endpoint (which calls `locked_until`, `fail` and `succeed` itself).

After `SIGN_IN_FAILURE_LIMIT` wrong attempts at one sign-in name within
`SIGN_IN_FAILURE_WINDOW_MINUTES`, the name is locked: first for `SIGN_IN_LOCKOUT_MINUTES`,
then twice as long at each lockout, up to `SIGN_IN_LOCKOUT_MAX_MINUTES`. While it is locked
the password is not even checked, so guessing goes no faster for a right guess. A success
clears the count. The lock is per name, not per address: a shared NHS network address must not
lock out a whole building, and a guesser who changes address gains nothing.
"""

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import SignInLockout, SignInThrottle

API_PREFIX = "api:"  # API client ids share the table with usernames, kept apart by this prefix


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def key_for(name: str) -> str:
    return (name or "").strip().lower()[:160]


def locked_until(key: str, *, at: datetime | None = None) -> datetime | None:
    """When the lock on this sign-in name ends, or None if it is not locked now."""
    at = at or timezone.now()
    until = (
        SignInThrottle.objects.filter(key=key_for(key), locked_until__gt=at)
        .values_list("locked_until", flat=True)
        .first()
    )
    return until


def wait_minutes(until: datetime, *, at: datetime | None = None) -> str:
    """How long until `until`, in whole minutes, as a person reads it ("1 minute")."""
    minutes = max(1, math.ceil((until - (at or timezone.now())).total_seconds() / 60))
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def message(until: datetime, *, at: datetime | None = None) -> str:
    """What the person trying to sign in is told: clear, and the same for every name (it does
    not say whether the account exists)."""
    wait = wait_minutes(until, at=at)
    return f"You have entered the wrong details too many times. Wait {wait}, then try again."


def _lock_length(lockouts: int, *, first: int, longest: int) -> timedelta:
    return timedelta(minutes=min(longest, first * 2 ** min(lockouts, 16)))


@transaction.atomic
def count_attempt(
    key: str,
    *,
    limit: int,
    window: timedelta,
    first_lock: int,
    longest_lock: int,
    at: datetime | None = None,
) -> tuple[datetime | None, int]:
    """Count one attempt under `key`. At `limit` attempts, each within `window` of the last,
    lock the key: for `first_lock` minutes, twice as long at each later lockout, up to
    `longest_lock`. Returns when the lock ends if this attempt locked it, and the attempts it
    counted. Used for sign-in failures here and for public forms' rate limits
    (`audit.ratelimit`), so there is one counter with one back-off."""
    at, key = at or timezone.now(), key_for(key)
    SignInThrottle.objects.get_or_create(key=key, defaults={"last_failure_at": at})
    row = SignInThrottle.objects.select_for_update().get(key=key)  # racing attempts all count
    if row.locked_until is not None and row.locked_until > at:
        return None, row.failures  # refused by the lock before anything was checked: not counted
    if row.last_failure_at < at - window:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = at
    lock_ends, counted = None, row.failures
    if row.failures >= limit:
        lock_ends = at + _lock_length(row.lockouts, first=first_lock, longest=longest_lock)
        row.failures, row.lockouts, row.locked_until = 0, row.lockouts + 1, lock_ends
    row.save()
    return lock_ends, counted


@transaction.atomic
def fail(key: str, *, door: str, at: datetime | None = None) -> datetime | None:
    """Count one wrong attempt. Returns when the lock ends if this attempt locked the name."""
    at, key = at or timezone.now(), key_for(key)
    lock_ends, failures = count_attempt(
        key,
        limit=_setting("SIGN_IN_FAILURE_LIMIT", 5),
        window=timedelta(minutes=_setting("SIGN_IN_FAILURE_WINDOW_MINUTES", 60)),
        first_lock=_setting("SIGN_IN_LOCKOUT_MINUTES", 1),
        longest_lock=_setting("SIGN_IN_LOCKOUT_MAX_MINUTES", 60),
        at=at,
    )
    if lock_ends is not None:
        SignInLockout.objects.create(key=key, door=door, at=at, until=lock_ends, failures=failures)
    return lock_ends


def succeed(key: str) -> None:
    """A right answer clears the count (and the back-off) for this name."""
    SignInThrottle.objects.filter(key=key_for(key)).exclude(
        locked_until__gt=timezone.now()
    ).delete()


def door_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "portal":
        return SignInLockout.Door.RESIDENT
    return SignInLockout.Door.STAFF


def _refuse(request, until: datetime) -> None:
    if request is not None:
        request.sign_in_locked_until = until
        request.sign_in_refusal = message(until)


class LockoutBackend(BaseBackend):
    """First of the authentication backends: refuses a locked name before any password is
    checked. Django then stops and reports the failure; the sign-in pages show
    `request.sign_in_refusal`, which says why."""

    def authenticate(self, request, username=None, **credentials):
        if username is None:
            return None
        if request is not None:
            _check_address(request)
        until = locked_until(username)
        if until is not None:
            _refuse(request, until)
            raise PermissionDenied(message(until))
        return None


def _check_address(request) -> None:
    """Refuse every sign-in from an address past its limit of wrong attempts."""
    from .ratelimit import RateLimited, check, client_address, sign_in_failures_per_address

    try:
        check(sign_in_failures_per_address(), client_address(request))
    except RateLimited as limited:
        request.sign_in_locked_until = limited.until
        request.sign_in_refusal = str(limited)
        raise PermissionDenied(str(limited)) from None


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    from .ratelimit import client_address, count, sign_in_failures_per_address

    username = credentials.get("username")
    if username is None or getattr(request, "sign_in_locked_until", None) is not None:
        return
    if request is not None:
        count(sign_in_failures_per_address(), client_address(request))
    until = fail(username, door=door_of(request))
    if until is not None:
        _refuse(request, until)


def on_signed_in(sender, request, user, **kwargs):
    succeed(user.get_username())
