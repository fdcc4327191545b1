"""Small builders the mappers share."""

from datetime import date, datetime

from django.utils import timezone


def ref(resource_type: str, resource_id, display: str | None = None) -> dict:
    reference = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def patient_ref(person) -> dict:
    return ref("Patient", person.public_id)


def practitioner_ref(professional) -> dict | None:
    if professional is None:
        return None
    return ref("Practitioner", professional.pk, professional.name)


def coding(system: str, code: str, display: str | None = None) -> dict:
    result = {"system": system, "code": code}
    if display:
        result["display"] = display
    return result


def concept(system: str, code: str, display: str | None = None, text: str | None = None) -> dict:
    result: dict[str, object] = {"coding": [coding(system, code, display)]}
    if text:
        result["text"] = text
    return result


def fhir_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def fhir_day(value: datetime | None) -> str | None:
    """The local (Europe/London) date of a moment."""
    return timezone.localdate(value).isoformat() if value else None


def fhir_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value).isoformat(timespec="seconds")


def human_name(*, prefix: str, given: str, family: str, use: str = "official") -> dict:
    name: dict[str, object] = {"use": use, "family": family}
    if given:
        name["given"] = given.split()
    if prefix:
        name["prefix"] = [prefix]
    return name


def telecom(phone: str = "", email: str = "") -> list[dict]:
    points = []
    if phone:
        points.append({"system": "phone", "value": phone})
    if email:
        points.append({"system": "email", "value": email})
    return points


def prune(resource: dict) -> dict:
    """Drop empty elements: FHIR forbids empty strings, lists and objects."""
    return {k: v for k, v in resource.items() if v not in (None, "", [], {})}
