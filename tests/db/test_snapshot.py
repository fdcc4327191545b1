"""The snapshot writer: the operational record to the analytic tables, in Parquet."""

from datetime import UTC, date, datetime

import pyarrow.parquet as pq
import pytest

from oneroof.analytics import engines, reference
from oneroof.analytics.codelists import read_codelists
from oneroof.analytics.rules import load_ruleset
from oneroof.analytics.schema import TABLES
from oneroof.analytics.snapshot import open_snapshot, read_manifest
from oneroof.care.models import Condition, MedicationStatement, Observation
from oneroof.codelists.loader import DATA_DIR
from oneroof.population.snapshot import take_snapshot
from tests.factories import (
    AddressFactory,
    ContactFactory,
    PersonFactory,
    ProfessionalFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 30)


@pytest.fixture
def world():
    gp = ProfessionalFactory(profession="gp")
    here = PersonFactory(lives_alone=True, general_practice=gp.organisation)
    AddressFactory(person=here, imd_decile=1, lsoa_code="E01012345", period_start=date(2000, 1, 1))
    moved = PersonFactory()
    AddressFactory(
        person=moved, imd_decile=4, period_start=date(2000, 1, 1), period_end=date(2025, 3, 1)
    )
    dead = PersonFactory(deceased_at=datetime(2026, 1, 10, 23, 30, tzinfo=UTC))
    Condition.objects.create(
        person=here,
        code="84114007",
        display="Heart failure",
        category="physical",
        recorded_date=date(2020, 1, 1),
    )
    Condition.objects.create(
        person=here,
        code="195967001",
        display="Asthma",
        category="physical",
        clinical_status="resolved",
        recorded_date=date(2019, 1, 1),
    )
    Observation.objects.create(
        person=here,
        code="162864005",
        display="BMI 30+",
        effective_at=datetime(2026, 5, 31, 23, 30, tzinfo=UTC),
    )
    for n in range(5):
        MedicationStatement.objects.create(
            person=here, code=f"3000{n}", display=f"Med {n}", effective_start=date(2024, 1, 1)
        )
    for day in range(1, 11):
        ContactFactory(
            person=here, professional=gp, occurred_at=datetime(2026, 6, day, 10, tzinfo=UTC)
        )
    return {"here": here, "moved": moved, "dead": dead, "gp": gp}


def test_snapshot_writes_every_table_of_the_schema(tmp_path, world):
    info = take_snapshot(tmp_path, today=TODAY)
    for name, table in TABLES.items():
        assert pq.read_schema(tmp_path / f"{name}.parquet").names == list(table.column_names)
    assert info.rows["persons"] == 3 and info.rows["coded_events"] == 3
    assert info.rows["medications"] == 5 and info.rows["contacts"] == 10
    assert read_manifest(tmp_path).rows == info.rows


def test_snapshot_tables_with_no_rows_are_empty_with_their_columns(tmp_path, world):
    info = take_snapshot(tmp_path, today=TODAY)
    assert info.absent == ()  # every table's source is wired in
    for name in ("appointments", "access_requests", "referrals", "feedback", "services"):
        table = pq.read_table(tmp_path / f"{name}.parquet")
        assert table.num_rows == 0
        assert table.schema == TABLES[name].arrow_schema()


def test_snapshot_person_columns(tmp_path, world):
    take_snapshot(tmp_path, today=TODAY)
    persons = {r["person_id"]: r for r in pq.read_table(tmp_path / "persons.parquet").to_pylist()}
    here, moved, dead = world["here"], world["moved"], world["dead"]
    assert persons[here.pk]["imd_decile"] == 1 and persons[here.pk]["lsoa_code"] == "E01012345"
    assert persons[here.pk]["moved_out_on"] is None and persons[here.pk]["lives_alone"] is True
    assert persons[here.pk]["neighbourhood_id"] == world["gp"].organisation.neighbourhood_id
    assert persons[moved.pk]["moved_out_on"] == date(2025, 3, 1)
    assert persons[moved.pk]["imd_decile"] == 4  # the last address's decile
    assert persons[dead.pk]["death_date"] == date(2026, 1, 10)  # local date, winter: UTC
    events = pq.read_table(tmp_path / "coded_events.parquet").to_pylist()
    observation = next(e for e in events if e["snomed_concept_id"] == "162864005")
    assert observation["date"] == date(2026, 6, 1)  # 11:30pm UTC is the next day in London
    contacts = pq.read_table(tmp_path / "contacts.parquet").to_pylist()
    assert {c["profession"] for c in contacts} == {"gp"}


def test_snapshot_case_finding_on_duckdb_matches_the_reference_engine(tmp_path, world):
    take_snapshot(tmp_path, today=TODAY)
    rules, codelists = load_ruleset(), read_codelists(DATA_DIR)
    con = engines.duckdb_connection()
    result = engines.run_casefinding(
        con, open_snapshot(con, tmp_path), rules=rules, codelists=codelists, index_date=TODAY
    ).to_pylist()
    tables = {n: pq.read_table(tmp_path / f"{n}.parquet").to_pylist() for n in TABLES}
    expected = reference.find_cases(tables, rules=rules, codelists=codelists, index_date=TODAY)
    assert result == expected
    (row,) = [r for r in result if r["person_id"] == world["here"].pk]
    assert [r["person_id"] for r in result] == [world["here"].pk]  # moved out and dead: out
    assert row["gp_contacts"] == 10 and row["high_use"] and row["polypharmacy"]
    assert row["ltc_count"] == 1  # the resolved asthma does not count
    assert row["obese"] and row["priority"] == 1


def test_snapshot_medicine_kept_by_name_only_counts_towards_polypharmacy(tmp_path):
    person = PersonFactory()
    AddressFactory(person=person, imd_decile=3, period_start=date(2000, 1, 1))
    for n in range(3):
        MedicationStatement.objects.create(
            person=person, code=f"3000{n}", display=f"Med {n}", effective_start=date(2024, 1, 1)
        )
    for name in ("Senna 7.5mg tablets", "Oramorph oral solution"):  # not coded in dm+d
        MedicationStatement.objects.create(
            person=person, code="", display=name, effective_start=date(2024, 1, 1)
        )
    take_snapshot(tmp_path, today=TODAY)
    medications = pq.read_table(tmp_path / "medications.parquet").to_pylist()
    uncoded = sorted((m["dmd_code"], m["name"]) for m in medications if not m["dmd_code"])
    assert uncoded == [(None, "Oramorph oral solution"), (None, "Senna 7.5mg tablets")]
    con = engines.duckdb_connection()
    (row,) = engines.run_casefinding(
        con,
        open_snapshot(con, tmp_path),
        rules=load_ruleset(),
        codelists=read_codelists(DATA_DIR),
        index_date=TODAY,
    ).to_pylist()
    assert row["medicines"] == 5 and row["polypharmacy"] and row["efi_deficits"] == 1
