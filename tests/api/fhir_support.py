"""Shared by the FHIR tests: a registered API client and its token, a person with one of
everything in their record, and validation of what the API emits against the FHIR R4 models
(fhir.resources, R4B where R4 is not packaged) and HL7's R4 JSON Schema."""

import base64
import json
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path

import jsonschema
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from oneroof.audit.services import record_access
from oneroof.care import models as care
from oneroof.fhir.auth import register_client
from oneroof.people import models as people
from oneroof.workforce.models import OpeningHours, Site
from tests.factories import (
    AddressFactory,
    CarePlanFactory,
    ContactFactory,
    PersonFactory,
    ProfessionalFactory,
    TaskFactory,
    team_around,
)

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "data" / "fhir-r4-examples" / "schema"
FHIR_JSON = "application/fhir+json"


@cache
def _schema() -> dict:
    return json.loads((SCHEMA / "fhir.schema.json").read_text())


@cache
def _validator(resource_type: str):
    schema = _schema()
    return jsonschema.Draft6Validator(
        {"$ref": f"#/definitions/{resource_type}", "definitions": schema["definitions"]}
    )


def _no_empty_values(value, path: str) -> None:
    """FHIR JSON has no empty strings, arrays or objects, and no nulls (ele-1)."""
    assert value not in (None, "", [], {}), f"empty value at {path}"
    if isinstance(value, dict):
        for key, item in value.items():
            _no_empty_values(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _no_empty_values(item, f"{path}[{index}]")


def validate(resource: dict) -> None:
    """Fail unless `resource` is valid FHIR: the R4B model and the R4 JSON Schema both accept
    it, and it has no empty values. Bundles are checked entry by entry, so an error names the
    resource at fault."""
    kind = resource["resourceType"]
    _no_empty_values(resource, kind)
    get_fhir_model_class(kind).model_validate(resource)
    shell = resource
    if kind == "Bundle":
        for entry in resource.get("entry", []):
            validate(entry["resource"])
        placeholder = {"resourceType": "Basic", "code": {"text": "checked on its own"}}
        shell = {
            **resource,
            "entry": [{**e, "resource": placeholder} for e in resource.get("entry", [])],
        }
    errors = sorted(_validator(kind).iter_errors(shell), key=lambda e: list(e.path))
    assert not errors, f"{kind}: " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message[:200]}" for e in errors[:5]
    )


def outcome_of(response) -> dict:
    """The OperationOutcome of an error response, checked: FHIR JSON, valid, with an issue
    whose expression names what was wrong."""
    assert response["Content-Type"].startswith(FHIR_JSON)
    body = response.json()
    assert body["resourceType"] == "OperationOutcome", body
    validate(body)
    assert body["issue"][0]["diagnostics"]
    return body


def issue(response) -> dict:
    return outcome_of(response)["issue"][0]


def fast_passwords(settings) -> None:
    """The professionals these tests make sign in with a password, hashed here with a fast
    hasher: the default (PBKDF2, ~0.5 s a hash) is for production, not for fixtures. Each FHIR
    test module calls this from an autouse fixture."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Api:
    """A registered system and a Django test client that sends its bearer token."""

    def __init__(self, scopes: str, name: str = "Riverside Council Care System"):
        self.client_row, self.secret = register_client(name=name, scopes=scopes)
        self.http = Client()
        self.token = self.get_token()

    def get_token(self, scope: str | None = None) -> str:
        body = "grant_type=client_credentials" + (f"&scope={scope}" if scope else "")
        credentials = f"{self.client_row.client_id}:{self.secret}".encode()
        response = self.http.post(
            "/fhir/R4/auth/token",
            body,
            content_type="application/x-www-form-urlencoded",
            HTTP_AUTHORIZATION="Basic " + base64.b64encode(credentials).decode(),
        )
        assert response.status_code == 200, response.content
        return response.json()["access_token"]

    def headers(self, extra=None) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **(extra or {})}

    def get(self, url: str, data=None, **extra):
        return self.http.get(url, data, **self.headers(extra))

    def put(self, url: str, body, content_type: str = FHIR_JSON, **extra):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.http.put(url, data, content_type=content_type, **self.headers(extra))


def whole_record(nurse=None):
    """A person with one of everything the API serves, and who opened their record."""
    nurse = nurse or ProfessionalFactory(registration_number="12A3456E")
    person = PersonFactory(given_name="Meera", family_name="Patel", phone="07700 900123")
    AddressFactory(person=person)
    site = Site.objects.create(
        name="Riverside Health Centre",
        organisation=nurse.organisation,
        neighbourhood=nurse.organisation.neighbourhood,
        line="1 River Road",
        postal_code="RV1 2AB",
        is_health_centre=True,
    )
    for day in range(6):
        OpeningHours.objects.create(site=site, weekday=day, opens=time(8), closes=time(20))
    person.general_practice = nurse.organisation
    person.save()
    team_around(person, nurse)
    plan = CarePlanFactory(person=person, what_matters="Staying at home with Raj")
    goal = care.Goal.objects.create(
        care_plan=plan, description="Walk to the shop", target_date=date(2027, 6, 1)
    )
    action = care.CarePlanAction.objects.create(
        care_plan=plan, goal=goal, description="Physio review", owner=nurse, created_by=nurse
    )
    task = TaskFactory(person=person, owner=nurse, requester=nurse, action=action)
    care.Condition.objects.create(
        person=person,
        code="84114007",
        display="Heart failure",
        category="physical",
        onset_date=date(2019, 3, 1),
        recorder=nurse,
    )
    care.Observation.objects.create(
        person=person,
        code="27113001",
        display="Body weight",
        value=Decimal("61.50"),
        unit="kg",
        effective_at=timezone.make_aware(datetime(2026, 1, 5, 10, 30)),
    )
    care.MedicationStatement.objects.create(
        person=person,
        code="318420003",
        display="Furosemide 40mg tablets",
        dosage="One each morning",
    )
    carer = people.Carer.objects.create(
        cared_for=person, name="Raj Patel", relationship="SPS", phone="07700 900456"
    )
    people.Consent.objects.create(
        person=person, scope="carer_proxy", status="active", grantee=carer
    )
    people.Consent.objects.create(person=person, scope="share_with_team", status="active")
    ContactFactory(person=person, professional=nurse, summary="Breathless <b>on stairs</b>")
    record_access(user=nurse.user, person=person, action="viewed record", purpose="care_team")
    return person, task
