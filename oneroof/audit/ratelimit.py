"""Rate limits on the public forms: the self-referral form per client address and per NHS
number, so that nobody can flood a service's worklist or try NHS numbers by the thousand; and
wrong sign-ins per client address (on top of the per-name lockout), so that one password cannot
be tried against every name.

One counter with one back-off for every limit: `lockout.count_attempt`, on the sign-in
throttle's table. A limit lets `attempts` uses through, each within `window_minutes` of the
last; the next is refused for `lock_minutes`, twice as long at each later lock, up to
`max_lock_minutes`. Keys never hold the address or the NHS number: each is a keyed hash
(HMAC with the site's secret key), so neither the table nor a log line can be read back to a
person, and an NHS number cannot be recovered by hashing all of them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import lockout

KEY_PREFIX = "rate:"  # shares the throttle table with sign-in names, kept apart by this prefix


@dataclass(frozen=True)
class Limit:
    name: str  # part of the key: "refer-address"
    attempts: int
    window_minutes: int
    lock_minutes: int
    max_lock_minutes: int
    message: str  # what the person is told, with "{wait}" for how long

    @classmethod
    def from_settings(cls, name: str, setting: str, message: str) -> "Limit":
        attempts, window, lock, longest = getattr(settings, setting)
        return cls(name, attempts, window, lock, longest, message)


class RateLimited(Exception):
    """Too many uses of a public form in a short time; nothing was done."""

    def __init__(self, limit: Limit, until: datetime):
        super().__init__(limit.message.format(wait=lockout.wait_minutes(until)))
        self.until = until


def client_address(request) -> str:
    """The address the request came from, as the web server gives it. Behind a proxy, the proxy
    must put the client's address there (for example gunicorn's `--forwarded-allow-ips` with
    the proxy's own address); a header a client could write itself is never trusted."""
    return request.META.get("REMOTE_ADDR", "")


def key_for(limit: Limit, value: str) -> str:
    digest = salted_hmac("oneroof.audit.ratelimit", value, algorithm="sha256").hexdigest()
    return f"{KEY_PREFIX}{limit.name}:{digest}"


def check(limit: Limit, value: str, *, at: datetime | None = None) -> None:
    """Raise RateLimited while `value` is over `limit`."""
    until = lockout.locked_until(key_for(limit, value), at=at or timezone.now())
    if until is not None:
        raise RateLimited(limit, until)


def count(limit: Limit, value: str, *, at: datetime | None = None) -> datetime | None:
    """Count one use under `limit` by `value`; when the lock it sets ends, if it set one."""
    lock_ends, _ = lockout.count_attempt(
        key_for(limit, value),
        limit=limit.attempts,  # the last use allowed locks the key; the next is refused
        window=timedelta(minutes=limit.window_minutes),
        first_lock=limit.lock_minutes,
        longest_lock=limit.max_lock_minutes,
        at=at or timezone.now(),
    )
    return lock_ends


def take(limit: Limit, value: str, *, at: datetime | None = None) -> None:
    """Count one use of the form under `limit` by `value` (an address, an NHS number); raise
    RateLimited, counting nothing, while `value` is over the limit."""
    at = at or timezone.now()
    check(limit, value, at=at)
    count(limit, value, at=at)


def sign_in_failures_per_address() -> Limit:
    """Wrong sign-ins from one address, whatever the names tried: one password tried against
    many names is not slowed by the per-name lockout. Generous, because a whole NHS site can
    share one address."""
    return Limit.from_settings(
        "sign-in-address",
        "SIGN_IN_FAILURE_LIMIT_PER_ADDRESS",
        "Too many wrong sign-in attempts have come from your network. Wait {wait}, then try again.",
    )
