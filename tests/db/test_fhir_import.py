"""`manage.py import_fhir`: Bundles into OneRoof, whole or not at all, twice with no change,
with a report of everything not kept; and the imported people in the record and in case-finding.

Most tests read the project's own hand-written Bundles (tests/fixtures/fhir). The tests marked
`synthea` also import Synthea's published Bundles, which no one here shaped, when the published
material a maintainer downloads is beside the checkout (../shared/data); they skip when it is not.
"""

import copy
import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from oneroof.care.models import Condition, Contact, MedicationStatement, Observation
from oneroof.fhir.models import ImportedResource, PatientIdentifier
from oneroof.people.models import Person
from oneroof.population.models import CohortMember, WorklistEntry
from oneroof.population.services import find_cases
from oneroof.workforce.models import Organisation, Professional
from tests.api.fhir_support import Api, validate
from tests.factories import PersonFactory, team_around
from tests.published import PUBLISHED

pytestmark = pytest.mark.django_db


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fhir"
EDITH = FIXTURES / "edith-fairweather.json"  # 85, four long-term conditions
SAM = FIXTURES / "sam-brook.json"  # 31 and well
MRN = "https://riverside-hospital.example/mrn"
SYNTHEA = PUBLISHED / "synthea-r4"
synthea = pytest.mark.skipif(
    not SYNTHEA.is_dir(),
    reason=f"Synthea's published Bundles are not beside this checkout ({SYNTHEA})",
)
SMALL = [
    "Desmond_Gutmann_d49945ce-9f8c-4974-80e3-0b38054dd45d.json.gz",
    "Edward_Gulgowski_43481611-2459-44f5-ab20-4b142dac160f.json.gz",
    "Clemente_Kreiger_1484a42d-0eaf-4654-9cbf-6b050a5cd73b.json.gz",
]
MODELS = (
    Person,
    Condition,
    Observation,
    MedicationStatement,
    Contact,
    Organisation,
    Professional,
    ImportedResource,
    PatientIdentifier,
)


def run(*paths, **options) -> str:
    out = StringIO()
    call_command("import_fhir", *map(str, paths), source="synthea", stdout=out, **options)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def bundle(path: Path = EDITH) -> dict:
    return json.loads(path.read_text())


def write(tmp_path: Path, content, name: str = "bundle.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_import_reports_what_was_kept_and_why_the_rest_was_not(tmp_path):
    report_file = tmp_path / "report.json"

    output = run(EDITH, SAM, report=report_file)

    assert Person.objects.count() == 2
    assert Condition.objects.count() == 5  # Edith's ICD-10 sprain is not kept
    assert Contact.objects.count() == 3 and Observation.objects.count() == 3
    assert MedicationStatement.objects.count() == 3
    edith, sam = json.loads(report_file.read_text())
    assert [edith["status"], sam["status"]] == ["imported", "imported"]
    assert edith["resources"]["Patient"] == {"created": 1}
    assert edith["resources"]["Condition"] == {"created": 4, "skipped": 1}
    reasons = {(s["resourceType"], s["reason"]) for s in edith["skipped"]}
    hba1c = "LOINC 4548-4 (Hemoglobin A1c/Hemoglobin.total in Blood) has no SNOMED CT mapping"
    assert reasons == {
        ("Claim", "OneRoof does not import Claim"),
        ("Condition", "condition not coded in SNOMED CT (coded in http://hl7.org/fhir/sid/icd-10)"),
        ("Observation", hba1c),
    }
    notes = {n["note"] for n in edith["notes"]}
    assert "address not kept: OneRoof needs its LSOA and deprivation decile" in notes
    assert "identity document numbers (SSN, licence, passport) not kept" in notes
    assert any("kept by name only" in note for note in notes)
    assert "edith-fairweather" in output and "2 bundles, 0 failed" in output
    metformin = MedicationStatement.objects.get(display="Metformin 500mg tablets")
    assert metformin.code == "" and metformin.dosage == "One twice a day with food"
    home_visit = Contact.objects.get(person__family_name="Fairweather", mode="home_visit")
    assert home_visit.summary == "Breathless on the stairs"


@synthea
def test_import_synthea_bundles_with_a_report_per_bundle(tmp_path):
    report_file = tmp_path / "report.json"

    output = run(*(SYNTHEA / name for name in SMALL), report=report_file)

    assert Person.objects.count() == 3
    assert Condition.objects.count() == 9 and Contact.objects.count() == 18
    assert Observation.objects.exists()
    reports = json.loads(report_file.read_text())
    assert [r["status"] for r in reports] == ["imported"] * 3
    first = reports[0]
    assert first["resources"]["Patient"] == {"created": 1}
    reasons = {(s["resourceType"], s["reason"]) for s in first["skipped"]}
    assert ("Claim", "OneRoof does not import Claim") in reasons
    assert any(kind == "Observation" and "LOINC" in reason for kind, reason in reasons)
    assert any("test range" in n["note"] for n in first["notes"])
    assert "Desmond_Gutmann" in output and "3 bundles, 0 failed" in output


def test_imported_people_get_a_test_range_nhs_number_marked_temporary(tmp_path):
    run(EDITH)
    person = Person.objects.get()
    assert person.nhs_number.startswith("999")
    assert PatientIdentifier.objects.get(person=person, use="temp").value == person.nhs_number
    kept = set(PatientIdentifier.objects.filter(use="secondary").values_list("system", flat=True))
    assert kept == {"https://riverside-hospital.example/mrn"}  # the driving licence is not kept

    api = Api("system/*.read")
    patient = api.get(f"/fhir/R4/Patient/{person.public_id}").json()
    validate(patient)
    nhs = patient["identifier"][0]
    assert nhs["use"] == "temp" and nhs["value"] == person.nhs_number
    found = api.get("/fhir/R4/Patient", {"identifier": f"{MRN}|RH-104233"})
    assert [p["resource"]["id"] for p in found.json()["entry"]] == [str(person.public_id)]


def test_importing_the_same_bundles_twice_changes_nothing(tmp_path):
    paths = [EDITH, SAM]
    run(*paths)
    before = counts()
    snapshot = list(Observation.objects.order_by("pk").values())

    report_file = tmp_path / "again.json"
    run(*paths, report=report_file)

    assert counts() == before
    assert list(Observation.objects.order_by("pk").values()) == snapshot
    for report in json.loads(report_file.read_text()):
        for outcomes in report["resources"].values():
            assert set(outcomes) <= {"unchanged", "skipped"}, report


def test_a_changed_source_resource_is_updated(tmp_path):
    original = bundle()
    run(write(tmp_path, original))
    changed = copy.deepcopy(original)
    condition = next(
        e["resource"] for e in changed["entry"] if e["resource"]["resourceType"] == "Condition"
    )
    condition["clinicalStatus"]["coding"][0]["code"] = "inactive"  # Synthea uses active, resolved

    report_file = tmp_path / "report.json"
    run(write(tmp_path, changed, "changed.json"), report=report_file)

    assert json.loads(report_file.read_text())[0]["resources"]["Condition"]["updated"] == 1
    assert Condition.objects.filter(
        code=condition["code"]["coding"][0]["code"], clinical_status="inactive"
    ).exists()


def test_json_and_gzip_and_folders_are_read(tmp_path):
    write(tmp_path, bundle(SAM), "plain.json")
    (tmp_path / "packed.json.gz").write_bytes(gzip.compress(EDITH.read_bytes()))
    (tmp_path / "notes.txt").write_text("not a bundle")
    run(tmp_path)
    assert Person.objects.count() == 2


def _failing(tmp_path, content, name="bad.json") -> tuple[dict, dict]:
    """Import `content`; it must fail, write nothing, and report why."""
    before = counts()
    report_file = tmp_path / "report.json"
    with pytest.raises(CommandError, match="1 of 1 bundles failed"):
        run(write(tmp_path, content, name), report=report_file)
    assert counts() == before
    (report,) = json.loads(report_file.read_text())
    assert report["status"] == "failed" and report["resources"] == {}
    return report, report["errors"][0]


def test_a_bundle_with_one_bad_reference_writes_nothing(tmp_path):
    broken = bundle()
    index = next(
        i for i, e in enumerate(broken["entry"]) if e["resource"]["resourceType"] == "Condition"
    )
    broken["entry"][index]["resource"]["subject"] = {"reference": "Patient/nobody"}

    report, error = _failing(tmp_path, broken)

    assert error["code"] == "not-found"
    assert error["expression"] == [f"Bundle.entry[{index}].resource.subject"]
    assert "Patient/nobody" in error["diagnostics"]


def test_an_invalid_nhs_number_writes_nothing(tmp_path):
    broken = bundle()
    broken["entry"][0]["resource"]["identifier"].append(
        {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "1234567890"}
    )
    _, error = _failing(tmp_path, broken)
    assert "not a valid NHS number" in error["diagnostics"]
    assert error["expression"][0].startswith("Bundle.entry[0].resource.identifier[")


def test_a_resource_that_is_not_valid_fhir_writes_nothing(tmp_path):
    broken = bundle()
    last = len(broken["entry"]) - 1
    broken["entry"][0]["resource"]["birthDate"] = "3rd of August"
    broken["entry"][last]["resource"] = {"resourceType": "Observation", "status": "final"}
    _, error = _failing(tmp_path, broken)
    assert error["expression"] == ["Bundle.entry[0].resource.birthDate"]


@pytest.mark.parametrize(
    ("content", "diagnostics"),
    [
        ('{"resourceType": "Bundle", "type": "transaction", "entry": [', "not readable JSON"),
        ({"resourceType": "Patient"}, "Expected a Bundle"),
        ({"resourceType": "Bundle", "type": "searchset"}, "searchset Bundle cannot be imported"),
    ],
)
def test_what_is_not_an_importable_bundle_is_reported(tmp_path, content, diagnostics):
    _, error = _failing(tmp_path, content)
    assert diagnostics in error["diagnostics"]


def test_one_failed_bundle_does_not_stop_the_others(tmp_path):
    write(tmp_path, "{", "a-broken.json")
    write(tmp_path, bundle(), "b-good.json")
    with pytest.raises(CommandError, match="1 of 2 bundles failed"):
        run(tmp_path)
    assert Person.objects.count() == 1


def test_strict_import_refuses_what_it_cannot_map(tmp_path):
    before = counts()
    with pytest.raises(CommandError):
        run(write(tmp_path, bundle()), strict=True)
    assert counts() == before


def test_a_person_already_known_by_nhs_number_is_linked_not_duplicated(tmp_path):
    meera = PersonFactory(given_name="Meera", birth_date="1956-08-03")
    incoming = bundle()
    patient = incoming["entry"][0]["resource"]
    patient["birthDate"] = "1956-08-03"
    patient["identifier"].append(
        {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": meera.nhs_number}
    )

    run(write(tmp_path, incoming))

    assert Person.objects.count() == 1
    meera.refresh_from_db()
    assert meera.given_name == "Meera"  # linked to, never overwritten
    assert Condition.objects.filter(person=meera).exists()


def test_nhs_number_of_someone_with_another_birth_date_is_a_conflict(tmp_path):
    meera = PersonFactory(birth_date="1944-05-02")
    incoming = bundle()
    incoming["entry"][0]["resource"]["identifier"].append(
        {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": meera.nhs_number}
    )
    _, error = _failing(tmp_path, incoming)
    assert error["code"] == "conflict"


def test_imported_person_flows_through_the_whole_person_record(client_for, nurse):
    run(EDITH)
    person = Person.objects.get()
    team_around(person, nurse)
    condition = Condition.objects.get(person=person, code="84114007")
    medicine = MedicationStatement.objects.get(person=person, code="318420003")

    page = client_for(nurse).get(
        reverse("care:record_view", kwargs={"public_id": person.public_id})
    )

    assert page.status_code == 200
    body = page.content.decode()
    assert person.family_name in body
    assert condition.display in body
    assert medicine.display in body

    api = Api("system/*.read")
    everything = api.get(f"/fhir/R4/Patient/{person.public_id}/$everything").json()
    validate(everything)
    kinds = {e["resource"]["resourceType"] for e in everything["entry"]}
    assert {"Patient", "Condition", "Encounter", "Observation", "MedicationStatement"} <= kinds


def test_imported_people_flow_through_case_finding(tmp_path):
    run(EDITH, SAM)

    summary = find_cases(snapshot_dir=tmp_path)

    assert summary.population == 2
    (member,) = CohortMember.objects.filter(run=summary.run)
    assert member.person.family_name == "Fairweather"
    assert "4 long-term conditions" in member.reasons
    entry = WorklistEntry.objects.get(person=member.person)
    assert entry.imd_decile is None  # no address kept, so no decile: listed as most deprived


@synthea
def test_imported_synthea_people_flow_through_case_finding(tmp_path):
    # Three of the shared Synthea people have complex needs by the rule set's rules (worked out
    # from their bundles' conditions); Desmond Gutmann, young and well, does not.
    found = {
        "Adalberto_Hartmann_44ec4447-9e2c-4eb9-bd4f-0bdb416b806e.json.gz": "Hartmann",
        "Adán_Portillo_22bbe238-220e-495c-8abc-0ce3aa28a605.json.gz": "Portillo",
        "Trey_Berge_99153850-84f1-4de6-9e19-3e0d6eeedeb2.json.gz": "Berge",
    }
    run(*(SYNTHEA / name for name in [*found, SMALL[0]]))

    summary = find_cases(snapshot_dir=tmp_path)

    assert summary.population == 4
    members = {m.person.family_name: m for m in CohortMember.objects.filter(run=summary.run)}
    assert set(members) == set(found.values())
    assert "4 long-term conditions" in members["Berge"].reasons
    assert "with a mental health condition" in members["Portillo"].reasons
    # Imported people have no address, so no deprivation decile: they go on the neighbourhood
    # worklist after everyone whose decile is known.
    entries = WorklistEntry.objects.filter(person__family_name__in=found.values())
    assert entries.count() == 3 and not entries.exclude(imd_decile=None).exists()
