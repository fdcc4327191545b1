"""A real FHIR client (fhirpy) drives the running server on 127.0.0.1: token, search, paging,
read, $everything, a Task status change, a referral sent, a free slot booked, and the
OperationOutcomes it gets back (a 409 for a slot already taken)."""

import httpx
import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from oneroof.access.models import Appointment
from oneroof.fhir.auth import register_client
from oneroof.referrals.models import Referral
from tests.api.fhir_support import whole_record
from tests.factories import PersonFactory
from tests.referral_factories import optician

NHS = "https://fhir.nhs.uk/Id/nhs-number"
# One connection per request: no keep-alive connection outlives the test server's database.
CLOSE = {"Connection": "close"}


@pytest.fixture
def server(live_server, transactional_db) -> str:
    return live_server.url.replace("localhost", "127.0.0.1") + "/fhir/R4"


def token_for(server: str, scopes: str) -> str:
    client, secret = register_client(name="Riverside Opticians", scopes=scopes)
    response = httpx.post(
        f"{server}/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(client.client_id, secret),
        headers=CLOSE,
    )
    response.raise_for_status()
    return response.json()["access_token"]


def test_a_fhir_client_searches_pages_and_reads(server):
    meera, _ = whole_record()
    for _ in range(4):
        PersonFactory()
    token = token_for(server, "system/*.read")
    fhir = SyncFHIRClient(server, authorization=f"Bearer {token}", extra_headers=CLOSE)

    everyone = fhir.resources("Patient").limit(2).fetch_all()  # three pages, via the next links
    assert len(everyone) == 5
    assert fhir.resources("Patient").count() == 5

    found = fhir.resources("Patient").search(identifier=f"{NHS}|{meera.nhs_number}").first()
    assert found.id == str(meera.public_id)
    read = fhir.reference("Patient", found.id).to_resource()
    assert read["name"][0]["family"] == "Patel"

    conditions = fhir.resources("Condition").search(patient=found.id).fetch()
    assert [c["code"]["coding"][0]["code"] for c in conditions] == ["84114007"]
    everything = fhir.execute(f"Patient/{found.id}/$everything", method="get")
    assert everything["entry"][0]["resource"]["id"] == found.id

    with pytest.raises(ResourceNotFound):
        fhir.reference("Patient", "00000000-0000-0000-0000-000000000000").to_resource()


def test_a_fhir_client_completes_a_task_and_is_told_what_it_may_not_do(server):
    _, task = whole_record()
    token = token_for(server, "system/*.read system/Task.write")
    fhir = SyncFHIRClient(server, authorization=f"Bearer {token}", extra_headers=CLOSE)

    resource = fhir.reference("Task", str(task.public_id)).to_resource()
    resource["status"] = "completed"
    resource["note"] = [{"text": "Rail fitted"}]
    resource.save()

    task.refresh_from_db()
    assert (task.status, task.completed_note) == ("completed", "Rail fitted")
    resource["status"] = "in-progress"
    with pytest.raises(OperationOutcome) as refused:
        resource.save()
    assert refused.value.resource["issue"][0]["expression"] == ["Task.status"]


def test_a_fhir_client_sends_a_referral_and_books_a_free_slot(server):
    meera, _ = whole_record()
    referrer = optician()
    token = token_for(server, "system/*.read system/ServiceRequest.write system/Appointment.write")
    fhir = SyncFHIRClient(server, authorization=f"Bearer {token}", extra_headers=CLOSE)

    services = fhir.resources("HealthcareService").search(active="true").limit(1).fetch_all()
    assert [s["name"] for s in services] == ["Falls prevention"]
    referral = fhir.resource(
        "ServiceRequest",
        identifier=[{"system": "https://visionlink.example/referral", "value": "R-77"}],
        status="active",
        intent="order",
        contained=[
            {
                "resourceType": "Patient",
                "id": "patient",
                "identifier": [{"system": NHS, "value": meera.nhs_number}],
                "name": [{"family": "Patel", "given": ["Meera"]}],
                "birthDate": meera.birth_date.isoformat(),
            }
        ],
        subject={"reference": "#patient"},
        requester={"reference": f"Practitioner/{referrer.pk}"},
        performer=[{"reference": f"HealthcareService/{services[0].id}"}],
        reasonCode=[{"text": "Falls at home; poor vision at night"}],
    )
    referral.save()
    assert referral["subject"]["reference"] == f"Patient/{meera.public_id}"
    assert Referral.objects.filter(public_id=referral.id, requester=referrer).exists()

    free = fhir.resources("Slot").search(status="free").first()
    booking = {
        "status": "booked",
        "slot": [{"reference": f"Slot/{free.id}"}],
        "participant": [
            {"actor": {"reference": f"Patient/{meera.public_id}"}, "status": "accepted"}
        ],
    }
    appointment = fhir.resource("Appointment", **booking)
    appointment.save()
    assert appointment["status"] == "booked"
    read = fhir.reference("Appointment", appointment.id).to_resource()
    assert [slot["reference"] for slot in read["slot"]] == [f"Slot/{free.id}"]
    assert fhir.resources("Slot").search(status="free").count() == 0

    with pytest.raises(OperationOutcome) as taken:
        fhir.resource("Appointment", **booking).save()
    assert taken.value.resource["issue"][0]["code"] == "conflict"
    assert taken.value.resource["issue"][0]["expression"] == ["Appointment.slot[0]"]
    assert Appointment.objects.filter(slot_id=free.id).count() == 1
