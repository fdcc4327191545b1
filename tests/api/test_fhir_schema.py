"""The two checks `validate` makes on everything the API emits (tests/api/fhir_support.py).

The fhir.resources R4B models are a dependency and always run. HL7's R4 JSON Schema is published
material a maintainer downloads beside the checkout (../shared/data); where it is absent the API
tests run on the models alone, and the schema test below says so as a skip instead of passing.
"""

import pytest
from pydantic import ValidationError

from tests.api.fhir_support import SCHEMA_ABSENT, _validator, r4_schema, validate

PATIENT = {"resourceType": "Patient", "gender": "female", "birthDate": "1948-02-11"}


def test_validate_refuses_what_the_fhir_models_refuse_with_or_without_the_schema():
    validate(PATIENT)
    with pytest.raises(ValidationError):
        validate({**PATIENT, "birthDate": "11 February 1948"})
    with pytest.raises(AssertionError, match="empty value at Patient.name"):
        validate({**PATIENT, "name": []})


def test_the_r4_json_schema_checks_what_the_api_emits():
    if r4_schema() is None:
        pytest.skip(SCHEMA_ABSENT)
    schema = _validator("Patient")
    assert not list(schema.iter_errors(PATIENT))
    assert list(schema.iter_errors({**PATIENT, "gender": "bloke"}))
    assert list(schema.iter_errors({**PATIENT, "nickname": "Gee"}))
