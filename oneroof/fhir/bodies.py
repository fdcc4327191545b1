"""Reading a FHIR resource from a request body: JSON, the right resourceType, and valid against
the FHIR models (fhir.resources, R4B: the R4 models are not packaged); every failure is an
OperationOutcome naming the element at fault."""

import json

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from .outcomes import FhirError, Issue, invalid

JSON_TYPES = ("application/fhir+json", "application/json")


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
        model = get_fhir_model_class(resource_type)
    except (KeyError, TypeError, ValueError):
        return [
            Issue(
                "error",
                "invalid",
                f"'{resource_type}' is not a FHIR resource type",
                (f"{prefix}.resourceType" if prefix else "resourceType",),
            )
        ]
    try:
        model.model_validate(resource)
    except ValidationError as error:
        return validation_issues(resource_type, error, prefix)
    except (TypeError, ValueError) as error:  # fhir.resources raises these for some shapes
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
    except (ValueError, UnicodeDecodeError) as error:
        raise invalid(f"The body is not valid JSON: {error}", expected) from None
    if not isinstance(body, dict):
        raise invalid(f"The body must be a JSON object: a FHIR {expected}", expected)
    if body.get("resourceType") != expected:
        raise invalid(
            f"resourceType must be {expected}, not {body.get('resourceType')!r}", "resourceType"
        )
    issues = validate_resource(body)
    if issues:
        first, *more = issues
        raise FhirError(400, first.code, first.diagnostics, first.expression, more=tuple(more))
    return body
