"""A token is worth no more than its client's registration now: scopes taken from a client are
taken from the tokens it holds, and an administrator can end a client's tokens (directly, by
giving it a new secret, or by switching it off)."""

import base64

import pytest
from django.core.management import CommandError, call_command

from oneroof.fhir import auth
from oneroof.fhir.models import AccessToken
from tests.api.fhir_support import Api, issue

pytestmark = pytest.mark.django_db


def token_response(api: Api, secret: str):
    credentials = base64.b64encode(f"{api.client_row.client_id}:{secret}".encode()).decode()
    return api.http.post(
        "/fhir/R4/auth/token",
        "grant_type=client_credentials",
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )


def test_scopes_taken_from_a_client_are_taken_from_its_live_tokens(person):
    api = Api("system/*.read")
    assert api.get("/fhir/R4/Condition").status_code == 200

    auth.change_scopes(api.client_row, "system/Patient.read")

    refused = api.get("/fhir/R4/Condition")
    assert refused.status_code == 403
    assert issue(refused)["code"] == "forbidden"
    assert api.get(f"/fhir/R4/Patient/{person.public_id}").status_code == 200  # still has this


def test_narrowing_by_command_narrows_the_token_held(person):
    api = Api("system/*.read system/Task.write")
    call_command("change_api_client", api.client_row.client_id, scope=["system/Task.write"])
    assert api.get(f"/fhir/R4/Patient/{person.public_id}").status_code == 403


def test_a_wider_registration_does_not_widen_a_narrow_token(person):
    api = Api("system/*.read")
    api.token = api.get_token(scope="system/Patient.read")
    auth.change_scopes(api.client_row, "system/*.*")
    assert api.get("/fhir/R4/Condition").status_code == 403


def test_revoking_ends_every_token_at_once(person):
    api = Api("system/*.read")
    second = api.get_token()

    call_command("change_api_client", api.client_row.client_id, revoke_tokens=True)

    for token in (api.token, second):
        api.token = token
        response = api.get(f"/fhir/R4/Patient/{person.public_id}")
        assert response.status_code == 401
        assert issue(response)["code"] == "login"
    assert not AccessToken.objects.exists()
    api.token = api.get_token()  # the secret still works: it asks again
    assert api.get(f"/fhir/R4/Patient/{person.public_id}").status_code == 200


def test_a_new_secret_ends_the_old_secrets_tokens(person):
    api = Api("system/*.read")
    old_secret = api.secret

    secret = auth.new_secret(api.client_row)

    assert api.get(f"/fhir/R4/Patient/{person.public_id}").status_code == 401
    assert token_response(api, old_secret).status_code == 401
    assert token_response(api, secret).status_code == 200


def test_switching_a_client_off_ends_its_tokens_for_good(person):
    api = Api("system/*.read")

    call_command("change_api_client", api.client_row.client_id, deactivate=True)
    assert api.get(f"/fhir/R4/Patient/{person.public_id}").status_code == 401
    call_command("change_api_client", api.client_row.client_id, activate=True)

    assert api.get(f"/fhir/R4/Patient/{person.public_id}").status_code == 401  # not revived
    api.token = api.get_token()
    assert api.get(f"/fhir/R4/Patient/{person.public_id}").status_code == 200


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("no-such-client",), "No API client"),
        (("{client}",), "Say what to change"),
        (("{client}", "--scope", "user/Patient.read"), "not a SMART system scope"),
    ],
)
def test_the_command_refuses_what_it_cannot_do_and_changes_nothing(db, arguments, message):
    api = Api("system/*.read")
    arguments = [a.format(client=api.client_row.client_id) for a in arguments]
    with pytest.raises(CommandError, match=message):
        call_command("change_api_client", *arguments)
    api.client_row.refresh_from_db()
    assert api.client_row.scopes == "system/*.read"
    assert AccessToken.objects.count() == 1
