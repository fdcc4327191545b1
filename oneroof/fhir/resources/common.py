"""What the resource modules share: who a resource is about."""

from oneroof.fhir.registry import Include
from oneroof.fhir.search import SearchParam, reference


def patient_params(path: str) -> tuple[SearchParam, ...]:
    """`patient` and `subject`: who the resource is about (Patient ids are uuids)."""
    return (
        reference("patient", "Who this is about", path, "Patient", id_kind="uuid"),
        reference("subject", "Who this is about", path, "Patient", id_kind="uuid"),
    )


def patient_includes(key: str) -> tuple[Include, ...]:
    return (Include("patient", "Patient", key), Include("subject", "Patient", key))
