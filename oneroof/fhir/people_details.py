"""A person as another system describes them in a resource it sends: a contained Patient with
NHS number, date of birth and name, which the owning app matches to a record."""

from datetime import date

from oneroof.people.nhs_numbers import is_valid_nhs_number, normalise_nhs_number
from oneroof.referrals.services import PersonDetails

from . import systems
from .outcomes import invalid


def _contained(body: dict, where: str) -> tuple[dict, str]:
    subject = (body.get("subject") or {}).get("reference") or ""
    for index, resource in enumerate(body.get("contained") or []):
        if subject.startswith("#") and resource.get("id") == subject[1:]:
            if resource.get("resourceType") == "Patient":
                return resource, f"{where}.contained[{index}]"
    raise invalid(
        "Describe the person as a Patient in contained (NHS number, date of birth, name) and "
        'refer to it from subject, as {"reference": "#patient"}',
        f"{where}.subject",
    )


def _text(value: str, limit: int, message: str, expression: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise invalid(message, expression)
    return value


def contained_person(body: dict, where: str) -> tuple[PersonDetails, str]:
    """The person the resource is about, and the FHIRPath of the contained Patient."""
    patient, path = _contained(body, where)
    given_number = next(
        (
            i.get("value", "")
            for i in patient.get("identifier") or []
            if i.get("system") == systems.NHS_NUMBER
        ),
        "",
    )
    number = normalise_nhs_number(given_number)
    if not is_valid_nhs_number(number):
        raise invalid(
            f"'{given_number}' is not a valid NHS number: give 10 digits with a correct check "
            f"digit, like 9434765919, with system {systems.NHS_NUMBER}",
            f"{path}.identifier",
        )
    try:
        birth_date = date.fromisoformat(patient.get("birthDate") or "")
    except ValueError:
        raise invalid(
            "Give the person's full date of birth, like 1990-05-17", f"{path}.birthDate"
        ) from None
    name = (patient.get("name") or [{}])[0]
    family = _text(name.get("family"), 100, "The family name is too long", f"{path}.name")
    given = _text(
        " ".join(name.get("given") or []), 100, "The given names are too long", f"{path}.name"
    )
    if not family or not given:
        raise invalid("Give the person's given and family names", f"{path}.name")
    points = {t.get("system"): t.get("value", "") for t in patient.get("telecom") or []}
    return (
        PersonDetails(
            nhs_number=number,
            birth_date=birth_date,
            given_name=given,
            family_name=family,
            phone=_text(points.get("phone"), 30, "The phone number is too long", f"{path}.telecom"),
            email=_text(
                points.get("email"), 254, "The email address is too long", f"{path}.telecom"
            ),
        ),
        path,
    )
