"""The endpoints of the API, one factory per interaction; api.py puts them on routes."""

from django.http import HttpResponse
from django.urls import reverse

from . import scopes
from .auth import issue_token
from .bodies import read_resource
from .capability import capability_statement, smart_configuration
from .consent import withheld_issues
from .everything import everything_bundle
from .outcomes import FhirError, Issue, invalid, operation_outcome
from .query import (
    check_format,
    check_include_scopes,
    is_strict,
    page_links,
    parse_search,
    run_search,
    searchset,
)
from .registry import ResourceType, registered
from .trail import audit_people, audit_search, log_request
from .web import base_url, prefer_return, respond, token_url


def root(request):
    """Nothing lives at the base URL itself: the CapabilityStatement says what does."""
    request.fhir_interaction = "root"
    raise not_found_here(reverse("fhir:metadata"))


def metadata(request):
    """The CapabilityStatement: what this server supports, generated from the registry."""
    request.fhir_type, request.fhir_interaction = "CapabilityStatement", "capabilities"
    check_format(request.GET, request.headers.get("Accept", ""))
    body = capability_statement(base_url=base_url(request), token_url=token_url(request))
    return respond(request, body)


def smart_config(request):
    """SMART discovery: where the token endpoint is and what it supports."""
    request.fhir_interaction = "smart-configuration"
    response = respond(request, smart_configuration(token_url=token_url(request)))
    response["Content-Type"] = "application/json"
    return response


def token(request):
    """OAuth2 client credentials: a bearer token for a registered system (SMART Backend
    Services). Authenticate with HTTP Basic (client_secret_basic) or in the form
    (client_secret_post)."""
    request.fhir_interaction = "token"
    headers = {"Content-Type": request.content_type or ""}
    if "Authorization" in request.headers:
        headers["Authorization"] = request.headers["Authorization"]
    out_headers, body, status = issue_token(
        uri=request.build_absolute_uri(reverse("fhir:token")),
        body=request.body.decode("utf-8", "replace"),
        headers=headers,
    )
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in out_headers.items():
        if name.lower() != "content-type":
            response[name] = value
    log_request(request, status=status, interaction="token")
    return response


def not_found_here(metadata_url: str) -> FhirError:
    return FhirError(
        404,
        "not-found",
        f"This is the FHIR base URL: GET {metadata_url} for what this server supports",
        ("url",),
    )


def _person_pks(resource: ResourceType, rows) -> list[int | None]:
    if resource.person_path is None:
        return []
    return [resource.person_pk_of(row) for row in rows]


def make_read(resource: ResourceType):
    def read(request, id: str):  # noqa: A002  (FHIR's name for it)
        check_format(request.GET, request.headers.get("Accept", ""))
        row = resource.get(id, request.auth.client)
        body = resource.render([row], request.auth)[0]
        people = audit_people(
            request.auth.client, _person_pks(resource, [row]), f"read {resource.name} via API"
        )
        return respond(request, body, results=1, people=people)

    read.__doc__ = f"Read one {resource.name} by its id."
    return read


def make_search(resource: ResourceType):
    def search(request):
        check_format(request.GET, request.headers.get("Accept", ""))
        query = parse_search(resource, request.GET, strict=is_strict(request))
        check_include_scopes(query, request.auth.scopes)
        page = run_search(query, request.auth.client)
        matches = resource.render(page.rows, request.auth)
        included, person_pks = [], _person_pks(resource, page.rows)
        for name, rows in page.included.items():
            target = registered(name)
            included += target.render(rows, request.auth)
            person_pks += _person_pks(target, rows)
        # Bundle.total is a fact about the people it counts (Condition?patient=X&_count=0):
        # those not returned on this page are in the trail as counted.
        people = audit_search(
            request.auth.client, returned=person_pks, counted=page.counted, resource=resource.name
        )
        base = base_url(request)
        body = searchset(
            base=base,
            matches=matches,
            included=included,
            total=page.total,
            links=page_links(f"{base}/{resource.name}", query, page.total),
            warnings=[*query.ignored, *withheld_issues(page.withheld)],
        )
        return respond(request, body, results=len(matches) + len(included), people=people)

    search.__doc__ = f"Search {resource.name}: {resource.documentation}."
    return search


def everything(request, id: str):  # noqa: A002
    """Patient/$everything: the whole-person record as one searchset Bundle."""
    check_format(request.GET, request.headers.get("Accept", ""))
    patients = registered("Patient")
    person = patients.get(id, request.auth.client)
    bundle, results = everything_bundle(
        person,
        client=request.auth.client,
        granted=request.auth.scopes,
        params=request.GET,
        strict=is_strict(request),
        base=base_url(request),
        auth=request.auth,
    )
    people = audit_people(request.auth.client, [person.pk], "fetched whole record via API")
    return respond(request, bundle, results=results, people=people)


def _written(request, resource: ResourceType, row, *, status: int, headers=None, verb: str):
    """The response to a write: the resource as the client may read it, or (`Prefer:
    return=minimal` / `return=OperationOutcome`, and always for a client that may not read
    it) nothing, or an OperationOutcome that says only that it was done. A write never shows
    a client what it could not read."""
    auth = request.auth
    wanted = prefer_return(request)
    fresh = None
    if scopes.allows(auth.scopes, resource.name, "read"):
        fresh = resource.rows(auth.client).filter(pk=row.pk).first()
    people = len(set(_person_pks(resource, [row])) - {None})
    if wanted == "minimal":
        return respond(request, None, status, headers=headers, results=0, people=people)
    if wanted == "representation" and fresh is not None:
        body = resource.render([fresh], auth)[0]
        return respond(request, body, status, headers=headers, results=1, people=people)
    message = f"{resource.name}/{resource.id_of(row)} {verb}"
    if fresh is None:
        message += "; your system may not read it, so it is not returned"
    body = operation_outcome([Issue("information", "informational", message)])
    return respond(request, body, status, headers=headers, results=0, people=people)


def make_update(resource: ResourceType):
    write = resource.update
    if write is None:
        raise ValueError(f"{resource.name} is not updatable: it has no update function")

    def update(request, id: str):  # noqa: A002
        row = resource.get(id, request.auth.client)
        body = read_resource(request, resource.name)
        if body.get("id") != id:
            raise invalid(
                f"The {resource.name}'s id ({body.get('id')!r}) must match the URL ({id})",
                f"{resource.name}.id",
            )
        before = resource.render([row])[0]
        readable = scopes.allows(request.auth.scopes, resource.name, "read")
        current = resource.render([row], request.auth)[0] if readable else None
        write(row=row, body=body, current=current, client=request.auth.client)
        after = resource.get(id, None)
        if resource.render([after])[0] == before:  # nothing changed: the request is still
            # in the person's trail, as every change is (the care services audit those)
            audit_people(
                request.auth.client,
                _person_pks(resource, [row]),
                f"sent {resource.name} unchanged via API",
            )
        return _written(request, resource, after, status=200, verb="is as you sent it")

    update.__doc__ = f"Update a {resource.name} (PUT). {resource.documentation}."
    return update


def make_create(resource: ResourceType):
    write = resource.create
    if write is None:
        raise ValueError(f"{resource.name} cannot be created: it has no create function")

    def create(request):
        body = read_resource(request, resource.name)
        row, created = write(body=body, client=request.auth.client)
        location = f"{base_url(request)}/{resource.name}/{resource.id_of(row)}"
        return _written(
            request,
            resource,
            row,
            status=201 if created else 200,  # 200: sent before (the same identifier), made once
            headers={"Location": location},
            verb="received",
        )

    create.__doc__ = f"Create a {resource.name} (POST). {resource.documentation}."
    return create
