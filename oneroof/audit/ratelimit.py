"""Rate limits on the public forms (a self-referral, a sign-in attempt): per client address and,
where a form names one, per NHS number, so that nobody can flood a service's worklist or try
NHS numbers by the thousand.

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


def take(limit: Limit, value: str, *, at: datetime | None = None) -> None:
    """Count one use of the form under `limit` by `value` (an address, an NHS number); raise
    RateLimited, counting nothing, while `value` is over the limit."""
    at = at or timezone.now()
    key = key_for(limit, value)
    until = lockout.locked_until(key, at=at)
    if until is not None:
        raise RateLimited(limit, until)
    lockout.count_attempt(
        key,
        limit=limit.attempts,  # the last use allowed locks the key; the next is refused
        window=timedelta(minutes=limit.window_minutes),
        first_lock=limit.lock_minutes,
        longest_lock=limit.max_lock_minutes,
        at=at,
    )
