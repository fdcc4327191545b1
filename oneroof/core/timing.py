import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _is_staff(request: HttpRequest) -> bool:
    """A member of staff signed in, or another system calling the API with a token: never
    the public or a resident."""
    if getattr(request, "auth", None) is not None:  # a FHIR API client (django-ninja)
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or hasattr(user, "professional")


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>` so browsers' dev tools and the benchmarks can see how
    long the application took, apart from the network. Only with `SERVER_TIMING` on (DEBUG,
    or the benchmarks) and only for staff: a time given to anyone would let an outsider tell a
    search that found someone from one that found no one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if settings.SERVER_TIMING and _is_staff(request):
            elapsed_ms = (time.perf_counter() - started) * 1000
            response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response
