"""What every API endpoint shares: the FHIR JSON response (which also writes the access log),
the bearer-token check with SMART scopes, and the OpenAPI description of our responses."""

import json

from django.http import HttpResponse
from django.urls import reverse
from ninja.security import HttpBearer

from . import scopes
from .auth import client_for_bearer
from .outcomes import forbidden
from .trail import log_request

FHIR_JSON = "application/fhir+json"


def respond(request, body: dict | None, status: int = 200, *, headers=None, **log) -> HttpResponse:
    """A FHIR JSON response (no body at all when `body` is None: `Prefer: return=minimal`),
    logged in the API access log."""
    pretty = request.GET.get("_pretty") == "true"
    response = HttpResponse(
        "" if body is None else json.dumps(body, ensure_ascii=False, indent=2 if pretty else None),
        status=status,
        content_type=f"{FHIR_JSON}; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    log_request(
        request,
        status=status,
        interaction=getattr(request, "fhir_interaction", "unknown"),
        resource_type=getattr(request, "fhir_type", ""),
        **log,
    )
    return response


RETURNS = ("minimal", "representation", "OperationOutcome")


def prefer_return(request) -> str:
    """What a write's response should carry (FHIR's `Prefer: return=`): the resource
    (representation, the default), nothing (minimal), or an OperationOutcome."""
    for part in request.headers.get("Prefer", "").split(","):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "return" and value.strip() in RETURNS:
            return value.strip()
    return "representation"


def base_url(request) -> str:
    return request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("/metadata")


def token_url(request) -> str:
    return request.build_absolute_uri(reverse("fhir:token"))


class SmartBearer(HttpBearer):
    """A live bearer token whose SMART scopes allow `interaction` on `resource_type`.

    No token, or a dead one: 401. A live token without the scope: 403."""

    def __init__(self, resource_type: str, interaction: str, *, check_scope: bool = True):
        super().__init__()
        self.resource_type = resource_type
        self.interaction = interaction  # read, search, update, everything...
        self.check_scope = check_scope

    def __call__(self, request):
        request.fhir_type, request.fhir_interaction = self.resource_type, self.interaction
        return super().__call__(request)

    def authenticate(self, request, token):
        context = client_for_bearer(token)
        if context is None:
            return None
        request.auth = context
        needed = "read" if self.interaction == "everything" else self.interaction
        if self.check_scope and not scopes.allows(context.scopes, self.resource_type, needed):
            kind = "write" if needed in ("create", "update") else "read"
            raise forbidden(
                f"Your token's scopes do not allow {needed} on {self.resource_type}: it needs "
                f"system/{self.resource_type}.{kind}"
            )
        return context


_STATUS_TEXT = {
    200: "OK",
    201: "Created",
    400: "Bad request (OperationOutcome)",
    401: "No valid bearer token (OperationOutcome)",
    403: "The token's scopes do not allow this (OperationOutcome)",
    404: "Not found (OperationOutcome)",
    406: "Only JSON is served (OperationOutcome)",
    409: "Conflict (OperationOutcome)",
    415: "Send application/fhir+json (OperationOutcome)",
    422: "Understood but not allowed (OperationOutcome)",
}
_RESOURCE_SCHEMA = {
    "type": "object",
    "required": ["resourceType"],
    "properties": {"resourceType": {"type": "string"}},
}


def documented_responses(*codes: int) -> dict:
    return {
        str(code): {
            "description": _STATUS_TEXT[code],
            "content": {FHIR_JSON: {"schema": _RESOURCE_SCHEMA}},
        }
        for code in codes
    }


PREFER_HEADER = {
    "name": "Prefer",
    "in": "header",
    "required": False,
    "description": "handling=strict: an unknown search parameter is an error, not ignored",
    "schema": {"type": "string", "enum": ["handling=strict", "handling=lenient"]},
}
RESOURCE_BODY = {
    "required": True,
    "content": {
        FHIR_JSON: {"schema": _RESOURCE_SCHEMA},
        "application/json": {"schema": _RESOURCE_SCHEMA},
    },
}
