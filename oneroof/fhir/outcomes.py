"""OperationOutcome: how every error (and every warning) reaches an API client.

Each client error names the field at fault in `expression` (docs/fhir.md): a FHIRPath into the
resource sent (`Task.status`), a search parameter (`birthdate`) or a header (`Authorization`).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    severity: str  # fatal | error | warning | information
    code: str  # FHIR issue-type: invalid, not-found, forbidden, login, conflict, ...
    diagnostics: str
    expression: tuple[str, ...] = ()

    def to_fhir(self) -> dict:
        issue: dict[str, object] = {
            "severity": self.severity,
            "code": self.code,
            "diagnostics": self.diagnostics,
        }
        if self.expression:
            issue["expression"] = list(self.expression)
        return issue


def operation_outcome(issues: list[Issue] | tuple[Issue, ...]) -> dict:
    return {"resourceType": "OperationOutcome", "issue": [issue.to_fhir() for issue in issues]}


@dataclass
class FhirError(Exception):
    """An error the API answers with an OperationOutcome and an HTTP status."""

    status: int
    code: str
    diagnostics: str
    expression: tuple[str, ...] = ()
    headers: dict = field(default_factory=dict)
    more: tuple[Issue, ...] = ()  # further issues, e.g. every bad entry of a Bundle

    def __post_init__(self):
        super().__init__(self.diagnostics)

    @property
    def issues(self) -> tuple[Issue, ...]:
        return (Issue("error", self.code, self.diagnostics, self.expression), *self.more)

    def outcome(self) -> dict:
        return operation_outcome(self.issues)


def invalid(diagnostics: str, *expression: str, status: int = 400) -> FhirError:
    return FhirError(status, "invalid", diagnostics, expression)


def not_supported(diagnostics: str, *expression: str, status: int = 400) -> FhirError:
    return FhirError(status, "not-supported", diagnostics, expression)


def not_found(resource_type: str, resource_id: str) -> FhirError:
    return FhirError(
        404, "not-found", f"No {resource_type} with id '{resource_id}'", (f"{resource_type}.id",)
    )


def business_rule(diagnostics: str, *expression: str, status: int = 422) -> FhirError:
    return FhirError(status, "business-rule", diagnostics, expression)


def conflict(diagnostics: str, *expression: str) -> FhirError:
    """409: the thing asked for is no longer there to have, such as a slot someone has taken."""
    return FhirError(409, "conflict", diagnostics, expression)


def login_required(diagnostics: str, *, token_sent: bool) -> FhirError:
    challenge = 'Bearer realm="OneRoof FHIR"'
    if token_sent:
        challenge += ', error="invalid_token"'
    return FhirError(401, "login", diagnostics, ("Authorization",), {"WWW-Authenticate": challenge})


def forbidden(diagnostics: str, *expression: str) -> FhirError:
    return FhirError(403, "forbidden", diagnostics, expression or ("Authorization",))
