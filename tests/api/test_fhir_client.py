"""A real FHIR client (fhirpy) drives the running server on 127.0.0.1: token, search, paging,
read, $everything, a Task status change, and the OperationOutcomes it gets back."""

import httpx
import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from oneroof.fhir.auth import register_client
from tests.api.fhir_support import fast_passwords, whole_record
from tests.factories import PersonFactory

NHS = "https://fhir.nhs.uk/Id/nhs-number"
# One connection per request: no keep-alive connection outlives the test server's database.
CLOSE = {"Connection": "close"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    fast_passwords(settings)


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
