"""The FHIR R4 REST API at /fhir/R4/, on django-ninja.

Its routes are generated from the registry (registry.py, resources/), so every resource type
gets the same read, search, paging, _include, audit and errors, and the OpenAPI schema that
ninja generates lists each one's parameters. Every error is an OperationOutcome."""

import logging

from django.http import Http404
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from . import (
    endpoints,
    resources,  # noqa: F401  (registers the resource types)
)
from .outcomes import FhirError, Issue, invalid, login_required, operation_outcome
from .registry import CREATE, READ, SEARCH, UPDATE, ResourceType, resource_types
from .web import PREFER_HEADER, RESOURCE_BODY, SmartBearer, documented_responses, respond

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="OneRoof FHIR R4 API",
    version="4.0.1",
    description="The whole-person record for other systems: see docs/fhir.md.",
    urls_namespace="fhir",
    docs_url=None,  # the interactive docs page loads scripts from a CDN, which the CSP forbids
)


# Errors: every one an OperationOutcome ------------------------------------------------------


@api.exception_handler(FhirError)
def on_fhir_error(request, error: FhirError):
    return respond(request, error.outcome(), error.status, headers=error.headers)


@api.exception_handler(AuthenticationError)
def on_no_token(request, error):
    sent = bool(request.headers.get("Authorization"))
    message = (
        "The access token is not valid or has expired: get a new one from the token endpoint"
        if sent
        else "Send an OAuth2 bearer token (client credentials) in the Authorization header"
    )
    return on_fhir_error(request, login_required(message, token_sent=sent))


@api.exception_handler(NinjaValidationError)
def on_invalid(request, error):
    first = error.errors[0] if error.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
    return on_fhir_error(request, invalid(first.get("msg", "Invalid request"), where))


@api.exception_handler(Http404)
def on_not_found(request, error):
    return on_fhir_error(request, FhirError(404, "not-found", "No such resource", ("id",)))


@api.exception_handler(HttpError)
def on_http_error(request, error: HttpError):
    return on_fhir_error(request, FhirError(error.status_code, "processing", str(error)))


@api.exception_handler(Exception)
def on_crash(request, error):
    logger.exception("FHIR API error")
    issue = Issue("fatal", "exception", "Something went wrong on our side; it has been logged")
    return respond(request, operation_outcome([issue]), 500)


# Discovery and tokens: no bearer token needed ---------------------------------------------

router = Router()


router.add_api_operation(
    "/",
    ["GET"],
    endpoints.root,
    url_name="root",
    operation_id="root",
    tags=["Discovery"],
    openapi_extra={"responses": documented_responses(404)},
)
router.add_api_operation(
    "/metadata",
    ["GET"],
    endpoints.metadata,
    url_name="metadata",
    operation_id="capabilities",
    tags=["Discovery"],
    openapi_extra={"responses": documented_responses(200, 406)},
)
router.add_api_operation(
    "/.well-known/smart-configuration",
    ["GET"],
    endpoints.smart_config,
    url_name="smart_configuration",
    operation_id="smartConfiguration",
    tags=["Discovery"],
)
router.add_api_operation(
    "/auth/token",
    ["POST"],
    endpoints.token,
    url_name="token",
    operation_id="token",
    tags=["Discovery"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["grant_type"],
                        "properties": {
                            "grant_type": {"type": "string", "enum": ["client_credentials"]},
                            "scope": {"type": "string"},
                            "client_id": {"type": "string"},
                            "client_secret": {"type": "string"},
                        },
                    }
                }
            },
        },
        "responses": {
            "400": {"description": "An RFC 6749 error (invalid_request, invalid_scope...)"},
            "401": {"description": "Unknown client or wrong secret (invalid_client)"},
            "429": {
                "description": "Locked after repeated wrong secrets (invalid_client, with how "
                "long to wait)"
            },
        },
    },
)


# Read and search for every registered resource type -----------------------------------------


def _search_parameters(resource: ResourceType) -> list[dict]:
    params = [
        {
            "name": p.name,
            "in": "query",
            "required": False,
            "description": f"{p.type}: {p.documentation}",
            "schema": {"type": "string"},
        }
        for p in resource.all_params
    ]
    for name in ("_count", "_offset"):
        params.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 0},
            }
        )
    if resource.includes:
        params.append(
            {
                "name": "_include",
                "in": "query",
                "required": False,
                "schema": {
                    "type": "string",
                    "enum": [f"{resource.name}:{i.param}" for i in resource.includes],
                },
            }
        )
    return [*params, PREFER_HEADER]


def add_resource_routes(resource: ResourceType) -> None:
    name = resource.name
    if SEARCH in resource.interactions:
        api_operation(
            f"/{name}",
            "GET",
            endpoints.make_search(resource),
            SmartBearer(name, "search"),
            f"search{name}",
            {
                "parameters": _search_parameters(resource),
                "responses": documented_responses(200, 400, 401, 403, 406),
            },
        )
    if CREATE in resource.interactions:
        api_operation(
            f"/{name}",
            "POST",
            endpoints.make_create(resource),
            SmartBearer(name, "create"),
            f"create{name}",
            {
                "requestBody": RESOURCE_BODY,
                "responses": documented_responses(200, 201, 400, 401, 403, 409, 415, 422),
            },
        )
    if READ in resource.interactions:
        api_operation(
            f"/{name}/{{id}}",
            "GET",
            endpoints.make_read(resource),
            SmartBearer(name, "read"),
            f"read{name}",
            {"responses": documented_responses(200, 401, 403, 404, 406)},
        )
    if UPDATE in resource.interactions:
        api_operation(
            f"/{name}/{{id}}",
            "PUT",
            endpoints.make_update(resource),
            SmartBearer(name, "update"),
            f"update{name}",
            {
                "requestBody": RESOURCE_BODY,
                "responses": documented_responses(200, 400, 401, 403, 404, 409, 415, 422),
            },
        )


def api_operation(path: str, method: str, view, auth, operation_id: str, extra: dict) -> None:
    router.add_api_operation(
        path,
        [method],
        view,
        auth=auth,
        operation_id=operation_id,
        summary=view.__doc__.split(".")[0],
        tags=[path.split("/")[1]],
        url_name=operation_id,
        openapi_extra=extra,
    )


for _resource in resource_types():
    add_resource_routes(_resource)

router.add_api_operation(
    "/Patient/{id}/$everything",
    ["GET"],
    endpoints.everything,
    auth=SmartBearer("Patient", "everything"),
    operation_id="patientEverything",
    summary="The whole-person record",
    tags=["Patient"],
    url_name="Patient_everything",
    openapi_extra={
        "parameters": [
            {"name": "_type", "in": "query", "required": False, "schema": {"type": "string"}},
            PREFER_HEADER,
        ],
        "responses": documented_responses(200, 400, 401, 403, 404, 406),
    },
)

api.add_router("", router)
