"""What the API's creates share: the key that makes a retried POST create one thing, and
finding what the references a client sends point to."""

import uuid

from .outcomes import FhirError, invalid
from .registry import registered
from .search import split_reference

# Keys are uuid5 in this namespace of (client, resource type, identifier system, value).
SUBMISSIONS = uuid.UUID("0b6f5f3e-8a57-4c1e-9d63-4f4b2f8d1a70")


def submission_key(client, body: dict) -> uuid.UUID:
    """The owning service's submission id for this resource. The same `identifier[0]` from the
    same client gives the same key, so sending it again (a retry after a timeout) returns what
    the first sending made. Without an identifier, every POST is a new submission."""
    first = (body.get("identifier") or [{}])[0]
    if not first.get("value"):
        return uuid.uuid4()
    parts = (client.client_id, body["resourceType"], first.get("system", ""), first["value"])
    return uuid.uuid5(SUBMISSIONS, "|".join(parts))


def referenced(reference: dict | None, target: str, expression: str):
    """The row a reference such as {"reference": "Slot/12"} names, or an OperationOutcome
    naming the element: 400 if it does not name a `target`, 422 if there is no such one."""
    text = (reference or {}).get("reference") or ""
    kind, resource_id = split_reference(text) if text else (None, "")
    if kind != target or not resource_id:
        raise invalid(f'Give a reference to a {target} ("{target}/<id>"), not {text!r}', expression)
    try:
        return registered(target).get(resource_id, client=None)
    except FhirError:
        raise FhirError(
            422, "not-found", f"There is no {target} with id '{resource_id}'", (expression,)
        ) from None
