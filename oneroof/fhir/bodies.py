"""Reading a FHIR resource from a request body: JSON, the right resourceType, and valid against
the FHIR models (fhir.resources, R4B: the R4 models are not packaged); every failure is an
OperationOutcome naming the element at fault."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from .outcomes import FhirError, Issue, invalid

JSON_TYPES = ("application/fhir+json", "application/json")
# No resource OneRoof reads nests deeper than a dozen levels; past this it is an attack on the
# parser (and Python's recursion limit), not a resource.
MAX_DEPTH = 64
TOO_DEEP = f"The body is nested more than {MAX_DEPTH} levels deep: no FHIR resource needs that"


def has_nul(value) -> bool:
    """Whether any string in `value` holds a NUL character (JSON's \\u0000), which PostgreSQL
    cannot store in text."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def depth_of(value, limit: int = MAX_DEPTH) -> int:
    """How deeply `value` nests, counting up to `limit + 1` (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _model_for(resource_type):
    if not isinstance(resource_type, str) or not resource_type.isascii():
        raise KeyError(resource_type)
    return get_fhir_model_class(resource_type)


def contained_issues(resource: dict, prefix: str) -> list[Issue]:
    """A contained resource that is not a resource (no type, or one FHIR does not have) is
    named by its place: fhir.resources would fail on it with a KeyError."""
    contained = resource.get("contained")
    if not isinstance(contained, list):
        return []
    issues = []
    for index, item in enumerate(contained):
        where = f"{prefix}.contained[{index}]"
        kind = item.get("resourceType") if isinstance(item, dict) else None
        try:
            _model_for(kind)
        except (KeyError, TypeError, ValueError):
            issues.append(
                Issue(
                    "error",
                    "invalid",
                    f"{where}.resourceType must name a FHIR resource type, not {kind!r}"[:300],
                    (f"{where}.resourceType",),
                )
            )
    return issues


def validation_issues(resource_type: str, error: ValidationError, prefix: str = "") -> list[Issue]:
    issues = []
    for item in error.errors()[:20]:
        path = ".".join(str(part) for part in item["loc"] if part != "__root__")
        expression = f"{prefix or resource_type}.{path}" if path else (prefix or resource_type)
        issues.append(Issue("error", "structure", item["msg"], (expression,)))
    return issues


def validate_resource(resource: dict, prefix: str = "") -> list[Issue]:
    """Structural errors in a resource, each with a FHIRPath; [] when it is valid."""
    resource_type = resource.get("resourceType")
    try:
        model = _model_for(resource_type)
    except (KeyError, TypeError, ValueError):
        return [
            Issue(
                "error",
                "invalid",
                f"'{resource_type}' is not a FHIR resource type",
                (f"{prefix}.resourceType" if prefix else "resourceType",),
            )
        ]
    if depth_of(resource) > MAX_DEPTH:
        return [Issue("error", "too-long", TOO_DEEP, (prefix or resource_type,))]
    issues = contained_issues(resource, prefix or resource_type)
    if issues:
        return issues
    try:
        model.model_validate(resource)
    except ValidationError as error:
        return validation_issues(resource_type, error, prefix)
    except (TypeError, ValueError, KeyError) as error:  # fhir.resources raises these for some
        return [Issue("error", "structure", str(error)[:500], (prefix or resource_type,))]
    return []


def read_resource(request, expected: str) -> dict:
    content_type = request.content_type or ""
    if content_type not in JSON_TYPES:
        raise FhirError(
            415,
            "not-supported",
            f"Send the {expected} as application/fhir+json (Content-Type was '{content_type}')",
            ("Content-Type",),
        )
    try:
        body = json.loads(request.body)
    except RecursionError:
        raise invalid(TOO_DEEP, expected) from None
    except RequestDataTooBig:  # the middleware answers first; this holds if it is not there
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raise FhirError(
            413, "too-long", f"The body is too large: the limit is {limit} bytes"
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise invalid(f"The body is not valid JSON: {error}", expected) from None
    if not isinstance(body, dict):
        raise invalid(f"The body must be a JSON object: a FHIR {expected}", expected)
    if depth_of(body) > MAX_DEPTH:
        raise invalid(TOO_DEEP, expected)
    if has_nul(body):
        raise invalid("The body must not contain NUL characters (\\u0000)", expected)
    if body.get("resourceType") != expected:
        raise invalid(
            f"resourceType must be {expected}, not {body.get('resourceType')!r}", "resourceType"
        )
    issues = validate_resource(body)
    if issues:
        first, *more = issues
        raise FhirError(400, first.code, first.diagnostics, first.expression, more=tuple(more))
    return body
