"""SMART on FHIR scopes for system clients (backend services), v1 and v2 syntax.

    system/Patient.read       read and search Patient            (v1)
    system/*.read             read and search everything         (v1)
    system/Task.write         create, update and delete Task     (v1)
    system/ServiceRequest.cu  create and update ServiceRequest   (v2: c r u d s)

Only `system/` scopes are granted: OneRoof's clients are other systems acting for an
organisation, with no user or patient in context (SMART Backend Services).
"""

import re
from dataclasses import dataclass

# What each interaction of the API needs, as SMART v2 permission letters.
INTERACTION_PERMISSION = {
    "read": "r",
    "vread": "r",
    "search": "s",
    "create": "c",
    "update": "u",
    "delete": "d",
}
_V1 = {"read": "rs", "write": "cud", "*": "cruds"}
_SCOPE = re.compile(r"^system/(?P<type>\*|[A-Z][A-Za-z]+)\.(?P<perm>read|write|\*|c?r?u?d?s?)$")


@dataclass(frozen=True)
class Scope:
    resource_type: str  # a resource type, or "*"
    permissions: frozenset[str]

    def allows(self, resource_type: str, interaction: str) -> bool:
        return self.resource_type in ("*", resource_type) and (
            INTERACTION_PERMISSION[interaction] in self.permissions
        )


class InvalidScope(ValueError):
    pass


def parse_scope(text: str) -> Scope:
    match = _SCOPE.match(text)
    if match is None or not match["perm"]:
        raise InvalidScope(f"'{text}' is not a SMART system scope such as system/Patient.read")
    perm = match["perm"]
    return Scope(match["type"], frozenset(_V1.get(perm, perm)))


def parse_scopes(text: str) -> tuple[Scope, ...]:
    return tuple(parse_scope(part) for part in text.split())


def allows(scopes: tuple[Scope, ...], resource_type: str, interaction: str) -> bool:
    return any(scope.allows(resource_type, interaction) for scope in scopes)


def covered_by(requested: Scope, granted: tuple[Scope, ...]) -> bool:
    """True when every permission of `requested` is in some granted scope."""
    return all(
        any(
            g.resource_type in ("*", requested.resource_type) and p in g.permissions
            for g in granted
        )
        for p in requested.permissions
    ) and (requested.resource_type != "*" or any(g.resource_type == "*" for g in granted))


def intersect(granted: tuple[Scope, ...], registered: tuple[Scope, ...]) -> tuple[Scope, ...]:
    """What a token granted that the client is still registered for: a token issued for
    `system/*.read` to a client now registered only for `system/Patient.read` allows reading
    Patient and nothing else. Checked on every request, so taking a scope away from a client
    takes it from the tokens it already holds."""
    kept = []
    for token_scope in granted:
        for client_scope in registered:
            if "*" not in (token_scope.resource_type, client_scope.resource_type) and (
                token_scope.resource_type != client_scope.resource_type
            ):
                continue
            permissions = token_scope.permissions & client_scope.permissions
            if permissions:
                narrower = (
                    client_scope.resource_type
                    if token_scope.resource_type == "*"
                    else token_scope.resource_type
                )
                kept.append(Scope(narrower, permissions))
    return tuple(kept)
