import secrets


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: scripts only from our own origin, plus the one inline
    script of the NHS.UK page template, allowed by a per-request nonce. A payload that slipped
    past escaping still could not run."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def policy(nonce: str) -> str:
        return (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
            # The NHS.UK frontend's CSS loads the Frutiger web font from the NHS asset server.
            "font-src 'self' https://assets.nhs.uk; img-src 'self' data:; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
        )

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy(request.csp_nonce))
        response.setdefault("Referrer-Policy", "same-origin")
        if request.user.is_authenticated:
            # Record pages hold personal data: never keep them in a shared browser's cache.
            response.setdefault("Cache-Control", "no-store")
        return response
