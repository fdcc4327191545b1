class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: scripts and styles only from our own origin, so a
    payload that slipped past escaping still could not run."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
        "object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.POLICY)
        response.setdefault("Referrer-Policy", "same-origin")
        if request.user.is_authenticated:
            # Record pages hold personal data: never keep them in a shared browser's cache.
            response.setdefault("Cache-Control", "no-store")
        return response
