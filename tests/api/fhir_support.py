"""Shared by the FHIR tests: a registered API client and its token, a person with one of
everything in their record, and validation of what the API emits against the FHIR R4 models
(fhir.resources, R4B where R4 is not packaged) and HL7's R4 JSON Schema."""

import base64
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

import jsonschema
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from oneroof.access import models as access
from oneroof.analytics.measures import BREAKDOWNS, BY_KEY, Period
from oneroof.analytics.measures.results import Cell
from oneroof.analytics.measures.results import MeasureResult as Result
from oneroof.audit.services import record_access
from oneroof.care import models as care
from oneroof.fhir.auth import register_client
from oneroof.measures.models import MeasureResult, MeasureRun
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
from tests.published import PUBLISHED
from tests.referral_factories import ReferralFactory, ServiceFactory

# HL7's R4 JSON Schema, in the published material a maintainer downloads beside the checkout
# (../shared/data). Where it is absent, what the API emits is checked against the fhir.resources
# models only, and tests/api/test_fhir_schema.py reports the missing check as a skip.
SCHEMA_FILE = PUBLISHED / "fhir-r4-examples" / "schema" / "fhir.schema.json"
SCHEMA_ABSENT = f"HL7's R4 JSON Schema is not beside this checkout ({SCHEMA_FILE})"
FHIR_JSON = "application/fhir+json"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"


@cache
def r4_schema() -> dict | None:
    """HL7's R4 JSON Schema, or None where the published material is absent."""
    if not SCHEMA_FILE.is_file():
        return None
    return json.loads(SCHEMA_FILE.read_text())


@cache
def _validator(resource_type: str):
    schema = r4_schema()
    if schema is None:
        return None
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
    """Fail unless `resource` is valid FHIR: the R4B model and the R4 JSON Schema (where it is
    beside the checkout) both accept it, and it has no empty values. Bundles are checked entry by
    entry, so an error names the resource at fault."""
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
    validator = _validator(kind)
    if validator is None:
        return
    errors = sorted(validator.iter_errors(shell), key=lambda e: list(e.path))
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


class Api:
    """A registered system and a Django test client that sends its bearer token."""

    def __init__(self, scopes: str, name: str = "Riverside Council Care System", organisation=None):
        self.client_row, self.secret = register_client(
            name=name, scopes=scopes, organisation=organisation
        )
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

    def post(self, url: str, body, content_type: str = FHIR_JSON, **extra):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.http.post(url, data, content_type=content_type, **self.headers(extra))


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
    service = ServiceFactory(
        name="Falls prevention",
        organisation=nurse.organisation,
        minimum_age=18,
        eligibility_description="Adults who have fallen, or fear falling",
        is_mental_health=True,
        email="falls@example.org",
        referrers=["gp", "optician"],
        standards=[(75, 42), (95, 126)],
    )
    service.sites.add(site)
    ReferralFactory(service=service, person=person, requester=nurse, source="nurse")
    booked, _free = rota_session(nurse, site)
    access.Appointment.objects.create(
        slot=booked, person=person, channel=access.Channel.RECEPTION, booked_by=nurse.user
    )
    stored_measure(nurse.organisation.neighbourhood)
    record_access(user=nurse.user, person=person, action="viewed record", purpose="care_team")
    return person, task


def rota_session(professional, site, day=None):
    """Tomorrow 9 to 10am, two half-hour slots: (the first, the second)."""
    day = day or timezone.localdate() + timedelta(days=1)
    session = access.RotaSession.objects.create(
        professional=professional,
        site=site,
        date=day,
        start=time(9),
        end=time(10),
        mode=access.Mode.FACE_TO_FACE,
        slot_minutes=30,
    )
    return tuple(
        access.Slot.objects.create(
            session=session,
            professional=professional,
            site=site,
            start=start,
            end=start + timedelta(minutes=30),
            mode=session.mode,
        )
        for start in (
            timezone.make_aware(datetime.combine(day, time(9))),
            timezone.make_aware(datetime.combine(day, time(9, 30))),
        )
    )


def stored_measure(neighbourhood):
    """A month of carers-identified for the neighbourhood, as the measures app stores it (each
    call the month before the last)."""
    earlier = MeasureResult.objects.filter(neighbourhood=neighbourhood).count()
    period = Period.month(2026, 5 - earlier)
    run = MeasureRun.objects.create(
        trigger="on_demand",
        first_month=period.start,
        last_month=period.start,
        engine="duckdb",
        definitions_version="1",
        rule_version="1",
    )
    counts = Result(
        "carers-identified",
        neighbourhood.pk,
        period,
        total=Cell(1000, 120),
        breakdowns={  # every breakdown adds up to the total, as the analytics' results do
            key: {
                group.key: Cell(600, 70) if i == 0 else Cell(400, 50) if i == 1 else Cell()
                for i, group in enumerate(BREAKDOWNS[key].groups)
            }
            for key in BY_KEY["carers-identified"].breakdowns
        },
    )
    return MeasureResult.objects.create(
        run=run,
        measure="carers-identified",
        neighbourhood=neighbourhood,
        period_start=period.start,
        period_end=period.end,
        status="ok",
        cells=counts.to_json(),
    )


def referral_body(service, referrer, person=None, **changes) -> dict:
    """A ServiceRequest as an optician's system sends it (about `person`, or someone OneRoof
    does not know)."""
    body = {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": "https://visionlink.example/referral", "value": "R-1001"}],
        "status": "active",
        "intent": "order",
        "contained": [
            {
                "resourceType": "Patient",
                "id": "patient",
                "identifier": [
                    {
                        "system": NHS_NUMBER,
                        "value": person.nhs_number if person else "9990000026",
                    }
                ],
                "name": [
                    {"family": person.family_name if person else "Okafor", "given": ["Grace"]}
                ],
                "birthDate": (person.birth_date.isoformat() if person else "1948-02-11"),
                "telecom": [{"system": "email", "value": "grace@example.org"}],
            }
        ],
        "subject": {"reference": "#patient"},
        "requester": {"reference": f"Practitioner/{referrer.pk}"},
        "performer": [{"reference": f"HealthcareService/{service.public_id}"}],
        "reasonCode": [{"text": "Struggling to read post since her cataract operation"}],
    }
    body.update(changes)
    return body


def booking_body(slot, person, **changes) -> dict:
    """An Appointment that books `person` into `slot`."""
    body = {
        "resourceType": "Appointment",
        "identifier": [{"system": "https://visionlink.example/booking", "value": "B-1"}],
        "status": "booked",
        "slot": [{"reference": f"Slot/{slot.pk}"}],
        "participant": [
            {"actor": {"reference": f"Patient/{person.public_id}"}, "status": "accepted"}
        ],
    }
    body.update(changes)
    return body
