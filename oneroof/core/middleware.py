import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: scripts only from our own origin, plus the one inline
    script of the NHS.UK page template, allowed by a per-request nonce. A payload that slipped
    past escaping still could not run."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def policy(nonce: str) -> str:
        return (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
            # The NHS.UK frontend's CSS loads the Frutiger web font from the NHS asset server.
            "font-src 'self' https://assets.nhs.uk; img-src 'self' data:; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]  # read by the page template
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy(nonce))
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.user.is_authenticated:
            # Record pages hold personal data: never keep them in a shared browser's cache.
            response.setdefault("Cache-Control", "no-store")
        return response


def note_sign_in(sender: object, request: HttpRequest | None, user: object, **kwargs: Any) -> None:
    """The idle clock starts at sign-in (so the first page after it writes nothing more)."""
    if request is not None and hasattr(request, "session"):
        request.session["last_seen"] = int(time.time())


class IdleSessionMiddleware:
    """Signs out a session left idle for `SESSION_IDLE_SECONDS` (a shared computer left open
    on a record). The time seen is written at most once a minute, not on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now, last = int(time.time()), request.session.get("last_seen")
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)  # the page then asks them to sign in again, as for anyone
            elif last is None or now - last >= 60:
                request.session["last_seen"] = now
        return self.get_response(request)


class BodyLimitMiddleware:
    """413 Content Too Large for a body over the limit, said plainly, before anything reads it:
    Django would otherwise stop at `request.POST` with a bare 400, and the API at its first
    read of the body. Forms are held to DATA_UPLOAD_MAX_MEMORY_SIZE; a file upload (multipart)
    to UPLOAD_MAX_SIZE. The API answers with an OperationOutcome."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def limit(request: HttpRequest) -> int:
        if request.content_type == "multipart/form-data":
            return int(settings.UPLOAD_MAX_SIZE)
        return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body when the length is not a number
        limit = self.limit(request)
        if length > limit:
            return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest, limit: int) -> HttpResponse:
        megabytes = f"{limit / 1024 / 1024:.1f}".removesuffix(".0")
        reason = f"What you sent is too large: the limit is {megabytes} MB."
        if request.path.startswith("/fhir/"):
            outcome = {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "too-long", "diagnostics": reason}],
            }
            return JsonResponse(outcome, status=413, content_type="application/fhir+json")
        return render(request, "core/413.jinja", {"reason": reason}, status=413)
