"""The FHIR R4 API over HTTP: what it serves, the OperationOutcome for every client error, and
the audit of every person-level read."""

import hashlib
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import oneroof.fhir.api  # noqa: F401  (registers every resource type)
from oneroof.audit.models import RecordAccess
from oneroof.care.models import Observation
from oneroof.fhir.models import AccessToken, ApiAccess, PatientIdentifier
from oneroof.fhir.registry import resource_types
from tests.api.fhir_support import Api, issue, rota_session, validate, whole_record
from tests.db.access_factories import SiteFactory
from tests.factories import PersonFactory, ProfessionalFactory, UserFactory
from tests.referral_factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(db):
    """A system allowed to read everything (system/*.read)."""
    return Api("system/*.read")


NHS = "https://fhir.nhs.uk/Id/nhs-number"


def entries(bundle, mode="match"):
    return [
        e["resource"] for e in bundle.get("entry", []) if e.get("search", {}).get("mode") == mode
    ]


# What the server says it does --------------------------------------------------------------


def test_capability_statement_is_the_registry():
    response = Client().get("/fhir/R4/metadata")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    statement = response.json()
    validate(statement)
    served = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(served) == {r.name for r in resource_types()}
    for resource in resource_types():
        params = {p["name"]: p["type"] for p in served[resource.name]["searchParam"]}
        assert params == {p.name: p.type for p in resource.all_params}
    assert {"code": "update"} in [{"code": i["code"]} for i in served["Task"]["interaction"]]
    writes = {name: [i["code"] for i in r["interaction"]] for name, r in served.items()}
    assert writes["ServiceRequest"] == writes["Appointment"] == ["read", "search-type", "create"]
    assert writes["Slot"] == writes["MeasureReport"] == ["read", "search-type"]
    assert served["Patient"]["operation"][0]["name"] == "everything"
    token = statement["rest"][0]["security"]["extension"][0]["extension"][0]["valueUri"]
    assert token.endswith("/fhir/R4/auth/token")


def test_smart_configuration_names_the_token_endpoint():
    config = Client().get("/fhir/R4/.well-known/smart-configuration").json()
    assert config["token_endpoint"].endswith("/fhir/R4/auth/token")
    assert config["grant_types_supported"] == ["client_credentials"]


# Tokens -----------------------------------------------------------------------------------


def test_token_is_kept_only_as_its_hash(db):
    api = Api("system/Patient.read")
    stored = AccessToken.objects.get()
    assert stored.token_hash == hashlib.sha256(api.token.encode()).hexdigest()
    assert api.token not in stored.token_hash
    assert api.secret not in api.client_row.secret_hash


def test_token_request_with_a_wrong_secret_is_refused(db):
    api = Api("system/Patient.read")
    response = Client().post(
        "/fhir/R4/auth/token",
        f"grant_type=client_credentials&client_id={api.client_row.client_id}&client_secret=nope",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_client_gets_no_more_scope_than_it_was_registered_with(db):
    api = Api("system/Patient.read")
    response = api.http.post(
        "/fhir/R4/auth/token",
        f"grant_type=client_credentials&scope=system/*.read&client_id={api.client_row.client_id}"
        f"&client_secret={api.secret}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_narrower_scope_gives_a_narrower_token(db):
    api = Api("system/*.read")
    api.token = api.get_token(scope="system/Patient.read")
    assert api.get("/fhir/R4/Patient").status_code == 200
    assert api.get("/fhir/R4/Condition").status_code == 403


# No token, no data ------------------------------------------------------------------------


def test_no_token_is_401_with_an_operation_outcome(person):
    response = Client().get("/fhir/R4/Patient")
    assert response.status_code == 401
    assert issue(response)["code"] == "login"
    assert issue(response)["expression"] == ["Authorization"]
    assert response["WWW-Authenticate"] == 'Bearer realm="OneRoof FHIR"'
    assert person.nhs_number not in response.content.decode()


def test_a_signed_in_session_is_not_a_token(client_for, nurse, person):
    assert client_for(nurse).get("/fhir/R4/Patient").status_code == 401


@pytest.mark.parametrize("token", ["not-a-token", "x" * 600])
def test_unknown_token_is_401_invalid_token(db, token):
    response = Client().get("/fhir/R4/Patient", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_expired_token_is_401(db, settings):
    settings.FHIR_ACCESS_TOKEN_SECONDS = -1
    api = Api("system/*.read")
    assert api.get("/fhir/R4/Patient").status_code == 401


def test_switched_off_client_is_401(db):
    api = Api("system/*.read")
    api.client_row.active = False
    api.client_row.save()
    assert api.get("/fhir/R4/Patient").status_code == 401


def test_wrong_scope_is_403_and_writes_no_record_access(person):
    api = Api("system/Organization.read")
    response = api.get(f"/fhir/R4/Patient/{person.public_id}")
    assert response.status_code == 403
    assert issue(response)["code"] == "forbidden"
    assert not RecordAccess.objects.exists()
    assert ApiAccess.objects.filter(status=403, client=api.client_row).count() == 1


# Every resource type, read and searched, is valid FHIR R4 ----------------------------------


@pytest.mark.parametrize("resource", [r.name for r in resource_types()])
def test_every_resource_type_reads_and_searches_as_valid_fhir(reader, resource):
    whole_record()

    found = reader.get(f"/fhir/R4/{resource}", {"_count": 100})

    assert found.status_code == 200, found.content
    bundle = found.json()
    validate(bundle)
    matches = entries(bundle)
    assert matches and bundle["total"] == len(matches)
    one = reader.get(f"/fhir/R4/{resource}/{matches[0]['id']}")
    assert one.status_code == 200
    assert one.json() == matches[0]
    validate(one.json())


def test_unknown_id_is_404(reader):
    for url in (
        f"/fhir/R4/Patient/{uuid.uuid4()}",
        "/fhir/R4/Patient/not-an-id",
        "/fhir/R4/Condition/99",
    ):
        response = reader.get(url)
        assert response.status_code == 404
        assert issue(response)["code"] == "not-found"


# Searching ---------------------------------------------------------------------------------


def test_patient_by_nhs_number(reader):
    meera, _ = whole_record()
    PersonFactory()

    bundle = reader.get("/fhir/R4/Patient", {"identifier": f"{NHS}|{meera.nhs_number}"}).json()

    assert [p["id"] for p in entries(bundle)] == [str(meera.public_id)]


def test_invalid_nhs_number_is_400_naming_the_parameter(reader):
    response = reader.get("/fhir/R4/Patient", {"identifier": f"{NHS}|1234567890"})
    assert response.status_code == 400
    assert issue(response)["expression"] == ["identifier"]
    assert "not a valid NHS number" in issue(response)["diagnostics"]


def test_patient_by_another_systems_identifier(reader, person):
    PatientIdentifier.objects.create(
        person=person, system="http://hospital.example.org", value="MRN-7"
    )
    bundle = reader.get(
        "/fhir/R4/Patient", {"identifier": "http://hospital.example.org|MRN-7"}
    ).json()
    assert [p["id"] for p in entries(bundle)] == [str(person.public_id)]


def test_search_by_patient_and_date(reader):
    meera, _ = whole_record()
    other = PersonFactory()
    Observation.objects.create(person=other, code="27113001", display="Body weight")

    mine = reader.get("/fhir/R4/Observation", {"patient": f"Patient/{meera.public_id}"}).json()
    since = reader.get(
        "/fhir/R4/Observation", {"subject": str(meera.public_id), "date": "ge2026-01-05"}
    ).json()
    before = reader.get(
        "/fhir/R4/Observation", {"patient": str(meera.public_id), "date": "lt2026"}
    ).json()

    assert mine["total"] == 1 and since["total"] == 1 and before["total"] == 0


def test_bad_date_is_400_naming_the_parameter(reader):
    response = reader.get("/fhir/R4/Patient", {"birthdate": "last tuesday"})
    assert response.status_code == 400
    assert issue(response)["expression"] == ["birthdate"]


def test_paging_walks_every_result_once(reader):
    people = {str(PersonFactory().public_id) for _ in range(5)}
    seen, url, pages = [], "/fhir/R4/Patient?_count=2", 0
    while url:
        bundle = reader.get(url).json()
        assert bundle["total"] == 5
        seen += [p["id"] for p in entries(bundle)]
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        url = links.get("next", "").removeprefix("http://testserver")
        pages += 1
    assert pages == 3 and sorted(seen) == sorted(people)


def test_count_zero_gives_the_total_only(reader):
    PersonFactory()
    bundle = reader.get("/fhir/R4/Patient", {"_count": 0}).json()
    assert bundle["total"] == 1 and "entry" not in bundle


def test_include_brings_the_patient(reader):
    meera, _ = whole_record()
    bundle = reader.get("/fhir/R4/Condition", {"_include": "Condition:patient"}).json()
    validate(bundle)
    assert [p["id"] for p in entries(bundle, "include")] == [str(meera.public_id)]


def test_include_of_a_type_the_scope_does_not_allow_is_403(db):
    whole_record()
    api = Api("system/Condition.read")
    response = api.get("/fhir/R4/Condition", {"_include": "Condition:patient"})
    assert response.status_code == 403
    assert issue(response)["expression"] == ["_include"]


def test_unknown_parameter_is_ignored_and_reported_by_default(reader, person):
    bundle = reader.get("/fhir/R4/Patient", {"colour": "blue"}).json()
    validate(bundle)
    assert bundle["total"] == 1
    (outcome,) = entries(bundle, "outcome")
    assert outcome["issue"][0]["severity"] == "warning"
    assert outcome["issue"][0]["expression"] == ["colour"]
    assert "colour" not in bundle["link"][0]["url"]


def test_unknown_parameter_with_strict_handling_is_400(reader):
    response = reader.get("/fhir/R4/Patient", {"colour": "blue"}, HTTP_PREFER="handling=strict")
    assert response.status_code == 400
    assert issue(response)["expression"] == ["colour"]


def test_xml_is_406(reader):
    assert reader.get("/fhir/R4/Patient", {"_format": "xml"}).status_code == 406
    response = reader.get("/fhir/R4/Patient", HTTP_ACCEPT="application/fhir+xml")
    assert response.status_code == 406
    assert issue(response)["expression"] == ["Accept"]


def test_search_costs_the_same_queries_for_2_or_20_people(reader):
    def queries(count):
        with CaptureQueriesContext(connection) as captured:
            assert reader.get("/fhir/R4/Patient", {"_count": count}).status_code == 200
        return len(captured)

    for _ in range(20):
        PersonFactory()
    assert queries(2) == queries(20)


# The audit ---------------------------------------------------------------------------------


def test_reading_a_patient_is_in_their_record_access_with_the_system_name(reader, person):
    reader.get(f"/fhir/R4/Patient/{person.public_id}")

    access = RecordAccess.objects.get(person=person)
    assert access.actor_name == "Riverside Council Care System"
    assert access.actor_role == "Connected system"
    assert access.action == "read Patient via API"
    assert access.user == reader.client_row.user and not access.user.is_active


def test_search_audits_each_person_returned_once(reader):
    people = [PersonFactory() for _ in range(3)]
    reader.get("/fhir/R4/Patient")
    assert RecordAccess.objects.filter(action="searched Patient via API").count() == 3
    assert {a.person for a in RecordAccess.objects.all()} == set(people)


def test_directory_reads_are_logged_but_touch_no_person(reader):
    whole_record()
    before = RecordAccess.objects.count()
    reader.get("/fhir/R4/Organization")
    assert RecordAccess.objects.count() == before
    log = ApiAccess.objects.get(resource_type="Organization")
    assert (log.client, log.interaction, log.status, log.people) == (
        reader.client_row,
        "search",
        200,
        0,
    )


def test_the_log_never_holds_the_query(reader, person):
    reader.get("/fhir/R4/Patient", {"identifier": f"{NHS}|{person.nhs_number}"})
    for row in ApiAccess.objects.values():
        assert person.nhs_number not in str(row)


def test_resident_sees_the_system_in_who_opened_my_record(reader, client_for):
    me = PersonFactory(user=UserFactory())
    reader.get(f"/fhir/R4/Patient/{me.public_id}")

    page = client_for(me.user).get(reverse("portal:record_access")).content.decode()

    assert "Riverside Council Care System, Connected system" in page
    assert "Read patient via api" in page or "Read Patient via API" in page


def test_audit_events_come_from_the_record_access_trail(reader, person):
    reader.get(f"/fhir/R4/Patient/{person.public_id}")
    bundle = reader.get("/fhir/R4/AuditEvent", {"patient": str(person.public_id)}).json()
    validate(bundle)
    (event,) = entries(bundle)  # reading the trail is itself audited, after this search
    assert event["agent"][0]["who"]["display"] == "Riverside Council Care System"
    assert event["entity"][0]["what"]["reference"] == f"Patient/{person.public_id}"


# Patient/$everything -----------------------------------------------------------------------


def test_everything_is_the_whole_person_record(reader):
    meera, task = whole_record()

    response = reader.get(f"/fhir/R4/Patient/{meera.public_id}/$everything")

    assert response.status_code == 200
    bundle = response.json()
    validate(bundle)
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {
        "Patient",
        "CareTeam",
        "CarePlan",
        "Goal",
        "Condition",
        "Observation",
        "MedicationStatement",
        "Encounter",
        "Task",
        "RelatedPerson",
        "Consent",
        "ServiceRequest",
        "Appointment",
        "Practitioner",
        "Organization",
        "HealthcareService",
        "Location",
        "Slot",
        "Schedule",  # the slot's, found through it
    }
    assert bundle["entry"][0]["resource"]["id"] == str(meera.public_id)
    references = {ref["reference"] for e in bundle["entry"] for ref in _references(e["resource"])}
    ids = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
    assert references <= ids  # nothing it refers to is missing
    assert (
        RecordAccess.objects.filter(person=meera, action="fetched whole record via API").count()
        == 1
    )


def _references(value):
    if isinstance(value, dict):
        if "reference" in value and isinstance(value["reference"], str):
            yield value
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def test_everything_leaves_out_what_the_scope_does_not_allow(db):
    meera, _ = whole_record()
    api = Api("system/Patient.read system/Condition.read")

    bundle = api.get(f"/fhir/R4/Patient/{meera.public_id}/$everything").json()

    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert set(kinds) == {"Patient", "Condition", "OperationOutcome"}
    note = bundle["entry"][-1]["resource"]["issue"][0]
    assert note["severity"] == "information" and "Observation" in note["diagnostics"]


def test_everything_of_someone_unknown_is_404(reader):
    assert reader.get(f"/fhir/R4/Patient/{uuid.uuid4()}/$everything").status_code == 404


@pytest.mark.parametrize("resource", [r.name for r in resource_types()])
def test_a_page_costs_the_same_queries_whatever_its_size(reader, resource):
    """No mapper reaches into the database: one row or many, the same queries."""
    whole_record()
    whole_record(ProfessionalFactory(given_name="Sam"))

    def queries(count):
        with CaptureQueriesContext(connection) as captured:
            response = reader.get(f"/fhir/R4/{resource}", {"_count": count})
        assert response.status_code == 200
        return len(captured), len(entries(response.json()))

    one, many = queries(1), queries(100)
    assert many[1] > one[1] == 1
    assert many[0] == one[0]


# The directory of services, the rota and the measures -------------------------------------


def test_a_healthcare_service_says_who_it_is_for_who_may_refer_and_its_standards(reader):
    whole_record()

    bundle = reader.get("/fhir/R4/HealthcareService", {"name": "falls", "active": "true"}).json()

    (service,) = entries(bundle)
    codes = {
        (c["coding"][0]["system"].rsplit("/", 1)[1], c["coding"][0]["code"])
        for c in service["characteristic"]
    }
    assert codes == {
        ("referral-route", "self"),
        ("referral-route", "gp"),
        ("referral-route", "optician"),
        ("waiting-time-standard", "75% within 42 days"),
        ("waiting-time-standard", "95% within 126 days"),
    }
    (eligibility,) = service["eligibility"]
    assert eligibility["code"]["text"] == "people aged 18 and over"
    assert eligibility["comment"] == "Adults who have fallen, or fear falling"
    assert service["program"][0]["coding"][0]["code"] == "mental-health"
    assert service["location"][0]["display"] == "Riverside Health Centre"
    assert reader.get("/fhir/R4/HealthcareService", {"active": "false"}).json()["total"] == 0


def test_free_slots_of_a_practitioner_on_a_day(reader):
    whole_record()
    (session,) = entries(reader.get("/fhir/R4/Schedule").json())
    practitioner = session["actor"][0]["reference"]
    day = session["planningHorizon"]["start"][:10]

    free = reader.get(
        "/fhir/R4/Slot",
        {"status": "free", "practitioner": practitioner, "start": day, "_include": "Slot:schedule"},
    ).json()

    validate(free)
    assert [s["start"][11:16] for s in entries(free)] == ["09:30"]
    assert [s["id"] for s in entries(free, "include")] == [session["id"]]
    assert reader.get("/fhir/R4/Slot", {"status": "busy"}).json()["total"] == 1
    assert reader.get("/fhir/R4/Schedule", {"date": f"gt{day}"}).json()["total"] == 0


def test_a_clinic_session_names_its_service(reader):
    physio = ProfessionalFactory(profession="physiotherapist")
    msk = ServiceFactory(name="MSK physiotherapy")
    first, _ = rota_session(physio, SiteFactory(organisation=physio.organisation))
    first.session.service = msk
    first.session.save(update_fields=["service"])

    bundle = reader.get("/fhir/R4/Schedule", {"_include": "Schedule:actor"}).json()

    validate(bundle)
    (schedule,) = entries(bundle)
    assert schedule["actor"][-1] == {
        "reference": f"HealthcareService/{msk.public_id}",
        "display": "MSK physiotherapy",
    }
    included = {r["resourceType"] for r in entries(bundle, "include")}
    assert included == {"Practitioner", "Location", "HealthcareService"}


def test_measure_reports_by_measure_month_and_neighbourhood(reader):
    whole_record()
    url = "https://oneroof.example.org/fhir/Measure/carers-identified"

    def total(**params):
        bundle = reader.get("/fhir/R4/MeasureReport", params).json()
        validate(bundle)
        return bundle["total"]

    assert total(measure=url, period="2026-05") == 1
    assert total(measure="carers-identified", period="2026-04") == 0
    assert total(measure="no-such-measure") == 0
    assert total(neighbourhood="https://oneroof.example.org/fhir/Id/neighbourhood|riverside") == 1
    assert total(neighbourhood="elsewhere", status="complete") == 0
    assert not RecordAccess.objects.filter(action__contains="MeasureReport").exists()
