"""Search parameters and handling, without a database: dates, tokens, references, strict and
lenient handling of what we do not know, paging links."""

from datetime import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from oneroof.fhir import api  # noqa: F401  (registers every resource type)
from oneroof.fhir.outcomes import FhirError
from oneroof.fhir.query import MAX_COUNT, page_links, parse_search
from oneroof.fhir.registry import get_resource, resource_types
from oneroof.fhir.search import date_range, split_reference, split_token


def local(*parts):
    return timezone.make_aware(datetime(*parts))


@pytest.mark.parametrize(
    ("value", "prefix", "start", "end"),
    [
        ("2024", "eq", local(2024, 1, 1), local(2025, 1, 1)),
        ("ge2024-02", "ge", local(2024, 2, 1), local(2024, 3, 1)),
        ("lt2024-12", "lt", local(2024, 12, 1), local(2025, 1, 1)),
        ("2024-03-03", "eq", local(2024, 3, 3), local(2024, 3, 4)),
        ("le2024-03-03T14:30", "le", local(2024, 3, 3, 14, 30), local(2024, 3, 3, 14, 31)),
    ],
)
def test_date_values_mean_the_range_their_precision_implies(value, prefix, start, end):
    assert date_range(value, "date") == (prefix, start, end)


def test_date_with_a_time_zone_keeps_it():
    _, start, end = date_range("2024-03-03T14:30:00Z", "date")
    assert start.utcoffset().total_seconds() == 0
    assert (end - start).total_seconds() == 1


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "2024-02-30", "ge", "24-01-01"])
def test_a_date_that_is_no_date_names_the_parameter(value):
    with pytest.raises(FhirError) as error:
        date_range(value, "birthdate")
    assert error.value.status == 400
    assert error.value.expression == ("birthdate",)


def test_tokens_and_references_split():
    assert split_token("https://fhir.nhs.uk/Id/nhs-number|9434765919") == (
        "https://fhir.nhs.uk/Id/nhs-number",
        "9434765919",
    )
    assert split_token("|x") == ("", "x") and split_token("x") == (None, "x")
    assert split_reference("Patient/abc") == ("Patient", "abc")
    assert split_reference("https://example.org/fhir/R4/Patient/abc") == ("Patient", "abc")
    assert split_reference("abc") == (None, "abc")


def test_every_resource_has_id_and_its_own_parameters():
    names = {r.name for r in resource_types()}
    assert names >= {
        "Patient",
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Location",
        "CareTeam",
        "CarePlan",
        "Goal",
        "Condition",
        "Observation",
        "MedicationStatement",
        "RelatedPerson",
        "Consent",
        "Task",
        "AuditEvent",
        "Encounter",
    }
    for resource in resource_types():
        assert resource.all_params[0].name == "_id"
        if resource.person_path not in (None, ""):
            assert resource.param("patient") is not None, resource.name


def test_unknown_parameter_is_ignored_and_reported_when_lenient():
    search = parse_search(
        get_resource("Patient"), QueryDict("family=Patel&colour=blue"), strict=False
    )
    assert len(search.filters) == 1
    assert search.used == [("family", "Patel")]  # the self link shows what was used
    assert search.ignored[0].expression == ("colour",)
    assert "colour" in search.ignored[0].diagnostics


def test_unknown_parameter_is_an_error_when_strict():
    with pytest.raises(FhirError) as error:
        parse_search(get_resource("Patient"), QueryDict("colour=blue"), strict=True)
    assert (error.value.status, error.value.expression) == (400, ("colour",))


def test_unsupported_modifier_is_always_an_error():
    with pytest.raises(FhirError) as error:
        parse_search(get_resource("Patient"), QueryDict("birthdate:above=2000"), strict=False)
    assert error.value.expression == ("birthdate:above",)


@pytest.mark.parametrize("query", ["_count=-1", "_count=ten", "_offset=1.5"])
def test_count_and_offset_must_be_whole_numbers(query):
    with pytest.raises(FhirError) as error:
        parse_search(get_resource("Patient"), QueryDict(query), strict=False)
    assert error.value.expression == (query.split("=")[0],)


def test_count_is_capped():
    search = parse_search(get_resource("Patient"), QueryDict("_count=5000"), strict=False)
    assert search.count == MAX_COUNT


def test_unknown_include_is_ignored_or_refused():
    resource = get_resource("Observation")
    lenient = parse_search(resource, QueryDict("_include=Observation:performer"), strict=False)
    assert lenient.includes == [] and lenient.ignored[0].expression == ("_include",)
    with pytest.raises(FhirError):
        parse_search(resource, QueryDict("_include=Observation:performer"), strict=True)
    ok = parse_search(resource, QueryDict("_include=Observation:patient"), strict=True)
    assert [i.target for i in ok.includes] == ["Patient"]


def test_paging_links_walk_the_whole_result():
    search = parse_search(
        get_resource("Patient"), QueryDict("family=Patel&_count=10&_offset=10"), strict=False
    )
    links = {
        link["relation"]: link["url"] for link in page_links("http://h/fhir/R4/Patient", search, 25)
    }
    assert links["self"] == "http://h/fhir/R4/Patient?family=Patel&_count=10&_offset=10"
    assert links["next"].endswith("_offset=20") and links["previous"].endswith("_offset=0")
    assert links["last"].endswith("_offset=20") and links["first"].endswith("_offset=0")
