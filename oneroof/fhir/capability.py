"""The CapabilityStatement, generated from the registry so it cannot drift from what the API
does, and the SMART configuration that tells a client where to get a token."""

from django.utils import timezone

from .query import DEFAULT_COUNT, MAX_COUNT
from .registry import CREATE, READ, SEARCH, UPDATE, resource_types

FHIR_VERSION = "4.0.1"
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything"

_INTERACTION_DOCS = {
    READ: "Read by id",
    SEARCH: f"Search: _count (default {DEFAULT_COUNT}, at most {MAX_COUNT}) and _offset page "
    "through results; unknown parameters are ignored and reported unless the request says "
    "Prefer: handling=strict",
    UPDATE: "Update (PUT): see the resource's documentation for what may change",
    CREATE: "Create (POST): send an identifier, and sending it again (a retry) returns what "
    "the first one made (200) instead of making another",
}


def _resource_entry(resource) -> dict:
    entry = {
        "type": resource.name,
        "documentation": resource.documentation,
        "interaction": [
            {"code": code, "documentation": _INTERACTION_DOCS[code]}
            for code in resource.interactions
        ],
        "versioning": "no-version",
        "readHistory": False,
        "updateCreate": False,
        "searchParam": [
            {"name": p.name, "type": p.type, "documentation": p.documentation}
            for p in resource.all_params
        ],
    }
    if resource.includes:
        entry["searchInclude"] = [f"{resource.name}:{i.param}" for i in resource.includes]
    if resource.name == "Patient":
        entry["operation"] = [{"name": "everything", "definition": EVERYTHING}]
    if not entry["documentation"]:
        del entry["documentation"]
    return entry


def capability_statement(*, base_url: str, token_url: str) -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.localdate().isoformat(),
        "publisher": "OneRoof",
        "kind": "instance",
        "software": {"name": "OneRoof"},
        "implementation": {"description": "OneRoof FHIR R4 API", "url": base_url},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read and search the whole-person record; send referrals "
                "(ServiceRequest), book free slots (Appointment) and move tasks along (Task). "
                "Every request needs an OAuth2 bearer token (client credentials, SMART system "
                "scopes); every person-level read or write is audited and shown to the person.",
                "security": {
                    "extension": [
                        {
                            "url": OAUTH_URIS,
                            "extension": [{"url": "token", "valueUri": token_url}],
                        }
                    ],
                    "cors": False,
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/"
                                    "restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "description": "OAuth2 client credentials (SMART Backend Services) with "
                    "system scopes such as system/Patient.read or system/*.read",
                },
                "resource": [_resource_entry(r) for r in resource_types()],
            }
        ],
    }


def smart_configuration(*, token_url: str) -> dict:
    return {
        "token_endpoint": token_url,
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": [
            "system/*.read",
            "system/*.rs",
            "system/Task.write",
            "system/ServiceRequest.write",
            "system/ServiceRequest.c",
            "system/Appointment.write",
            "system/Appointment.c",
        ],
        "capabilities": ["client-confidential-symmetric"],
    }
