"""A referrer's system cannot use the API to learn whether OneRoof holds an NHS number: a held
number with the right date of birth, a held number with another, and a number OneRoof does
not hold all answer the same, now and when the referral is read back. The triager, not the
sender, sees which it was."""

import copy
import re

import pytest

from oneroof.referrals.models import IdentityMatch, Referral
from tests.api.fhir_support import Api, validate
from tests.api.fhir_support import referral_body as referral
from tests.referral_factories import ServiceFactory, optician

pytestmark = pytest.mark.django_db

UNHELD = "9990000026"


@pytest.fixture
def clinic(db):
    return ServiceFactory(name="Low vision clinic", minimum_age=18, referrers=["optician"])


@pytest.fixture
def referrer(db):
    return optician()


def three_referrals(person) -> list[tuple[str, dict]]:
    """(label, contained Patient changes): right birth date, wrong one, unheld number."""
    wrong = person.birth_date.replace(year=person.birth_date.year - 1).isoformat()
    return [
        ("held", {}),
        ("held, another birth date", {"birthDate": wrong}),
        (
            "not held",
            {"identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": UNHELD}]},
        ),
    ]


def send_each(system, clinic, referrer, person, **headers):
    responses = {}
    for index, (label, change) in enumerate(three_referrals(person)):
        body = copy.deepcopy(referral(clinic, referrer, person))
        body["identifier"][0]["value"] = f"R-{index}"
        body["contained"][0].update(change)
        responses[label] = system.post("/fhir/R4/ServiceRequest", body, **headers)
    return responses


def shape(value, person):
    """The response with what legitimately differs between the three taken out: ids, the NHS
    number the sender typed, the time."""
    text = re.sub(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>", str(value)
    )
    text = text.replace(person.nhs_number, "<nhs>").replace(UNHELD, "<nhs>")
    return re.sub(r"\d{4}-\d\d-\d\dT[\d:.+Z-]+", "<time>", text)


def test_a_referrers_system_is_answered_the_same_whoever_the_number_belongs_to(
    clinic, referrer, person
):
    sender = Api(
        "system/*.read system/ServiceRequest.c",
        name="Visionlink",
        organisation=referrer.organisation,
    )

    responses = send_each(sender, clinic, referrer, person)

    assert {r.status_code for r in responses.values()} == {201}
    for response in responses.values():
        validate(response.json())
        assert "reference" not in response.json()["subject"]
    shapes = {shape(r.json(), person) for r in responses.values()}
    assert len(shapes) == 1, shapes
    read_back = {
        shape(sender.get(r["Location"].removeprefix("http://testserver")).json(), person)
        for r in responses.values()
    }
    assert read_back == shapes
    searched = sender.get("/fhir/R4/ServiceRequest", {"_include": "ServiceRequest:patient"}).json()
    assert searched["total"] == 3
    assert all(e["search"]["mode"] == "match" for e in searched["entry"])  # no Patient comes
    # The triager sees which was which.
    matches = dict(Referral.objects.values_list("identity_match", "nhs_number").order_by("pk"))
    assert matches[IdentityMatch.MATCHED] == person.nhs_number
    assert matches[IdentityMatch.MISMATCH] == person.nhs_number
    assert set(matches) - {IdentityMatch.MATCHED, IdentityMatch.MISMATCH}


def test_a_write_only_sender_is_told_only_that_its_referral_arrived(clinic, referrer, person):
    sender = Api("system/ServiceRequest.c", name="Visionlink")

    responses = send_each(sender, clinic, referrer, person)

    assert {r.status_code for r in responses.values()} == {201}
    for response in responses.values():
        outcome = response.json()
        validate(outcome)
        assert outcome["resourceType"] == "OperationOutcome"
        assert "Low vision" not in response.content.decode()
        assert response["Location"].startswith("http://testserver/fhir/R4/ServiceRequest/")
    assert len({shape(r.json(), person) for r in responses.values()}) == 1
    minimal = send_each(sender, clinic, referrer, person, HTTP_PREFER="return=minimal")
    assert {(r.status_code, r.content) for r in minimal.values()} == {(200, b"")}  # resent


def test_a_neighbourhood_system_that_may_read_the_person_is_shown_them(clinic, referrer, person):
    sender = Api("system/*.read system/ServiceRequest.c", name="Council care system")

    response = sender.post("/fhir/R4/ServiceRequest", referral(clinic, referrer, person))

    assert response.json()["subject"] == {"reference": f"Patient/{person.public_id}"}
