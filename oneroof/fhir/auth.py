"""OAuth2 client credentials for other systems (SMART Backend Services), on oauthlib.

oauthlib speaks the protocol (parsing the token request, the error responses of RFC 6749); this
module decides who the client is and what it may have. Client secrets and access tokens are 256
random bits each, so a single SHA-256 is the right hash for them at rest (a slow password hash
protects guessable secrets, which these are not): a leaked database holds no usable token.
"""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from oauthlib.oauth2 import BackendApplicationServer, RequestValidator
from oauthlib.oauth2.rfc6749.errors import InvalidClientError

from oneroof.audit import lockout

from .models import AccessToken, ApiClient
from .scopes import InvalidScope, Scope, covered_by, intersect, parse_scope, parse_scopes


def token_lifetime() -> int:
    # SMART Backend Services: access tokens should live no longer than five minutes.
    return getattr(settings, "FHIR_ACCESS_TOKEN_SECONDS", 300)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class ClientContext:
    """Who is calling, and with which scopes: `request.auth` on every API request."""

    client: ApiClient
    scopes: tuple[Scope, ...]


@transaction.atomic
def register_client(
    *, name: str, scopes: str, client_id: str = "", organisation=None
) -> tuple[ApiClient, str]:
    """Register a system that may call the API. Returns the client and its secret, which is
    shown this once and never stored. A referrer's system names its `organisation`."""
    parse_scopes(scopes)  # refuse anything that is not a SMART system scope
    client_id = client_id or secrets.token_urlsafe(16)
    secret = secrets.token_urlsafe(32)
    user = get_user_model().objects.create_user(
        username=f"api-client:{client_id}"[:150], first_name=name[:150], is_active=False
    )  # the audit trail's account for this client; it has no password and cannot sign in
    client = ApiClient.objects.create(
        client_id=client_id,
        name=name,
        secret_hash=digest(secret),
        scopes=scopes,
        user=user,
        organisation=organisation,
    )
    return client, secret


def client_for_bearer(token: str) -> ClientContext | None:
    """The client a bearer token was issued to, while it is live, with its granted scopes."""
    if not token or len(token) > 512:
        return None
    row = (
        AccessToken.objects.select_related("client")
        .filter(token_hash=digest(token), expires_at__gt=timezone.now(), client__active=True)
        .first()
    )
    if row is None:
        return None
    # The scopes the token was issued with, less any the client has since lost.
    return ClientContext(
        row.client, intersect(parse_scopes(row.scopes), parse_scopes(row.client.scopes))
    )


# Changing a client's access: each ends or narrows the tokens it holds at once ----------------


def revoke_tokens(client: ApiClient) -> int:
    """End every token the client holds (a leaked token, a system being retired): its next
    request is a 401 and it must ask for a new token. Returns how many were live."""
    now = timezone.now()
    live = AccessToken.objects.filter(client=client, expires_at__gt=now).count()
    AccessToken.objects.filter(client=client).delete()
    return live


@transaction.atomic
def change_scopes(client: ApiClient, scopes: str) -> None:
    """Register the client for these scopes instead. Its tokens keep only what the new
    registration allows (checked on every request), so a scope taken away is gone at once."""
    parse_scopes(scopes)
    client.scopes = scopes
    client.save(update_fields=["scopes"])


@transaction.atomic
def new_secret(client: ApiClient) -> str:
    """Replace the client's secret (the old one leaked, or its holder left) and end every token
    issued under the old one. Returns the new secret, shown this once."""
    secret = secrets.token_urlsafe(32)
    client.secret_hash = digest(secret)
    client.save(update_fields=["secret_hash"])
    revoke_tokens(client)
    return secret


@transaction.atomic
def set_active(client: ApiClient, active: bool) -> None:
    """Switch the client off (its tokens end, and it gets no new ones) or on again (it must ask
    for a new token: switching off ended the old ones for good)."""
    client.active = active
    client.save(update_fields=["active"])
    if not active:
        revoke_tokens(client)


class ClientLockedOut(InvalidClientError):
    """Too many wrong secrets for one client id: RFC 6749's invalid_client, as 429 Too Many
    Requests, with how long to wait."""

    status_code = 429

    def __init__(self, description: str):
        super().__init__(description=description)


class ClientCredentialsValidator(RequestValidator):
    """oauthlib's questions about clients and scopes, answered from ApiClient."""

    def client_authentication_required(self, request, *args, **kwargs):
        return True

    def _credentials(self, request) -> tuple[str, str]:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
                client_id, _, secret = decoded.partition(":")
                return unquote(client_id), unquote(secret)
            except (ValueError, UnicodeDecodeError):
                return "", ""
        return request.client_id or "", request.client_secret or ""

    def authenticate_client(self, request, *args, **kwargs):
        client_id, secret = self._credentials(request)
        if "\x00" in client_id + secret:  # no client has one; PostgreSQL cannot look it up
            return False
        key = lockout.API_PREFIX + client_id
        until = lockout.locked_until(key)
        if until is not None:  # refused before the secret is checked
            raise ClientLockedOut(lockout.message(until))
        client = ApiClient.objects.active().filter(client_id=client_id).first()
        if client is None or not hmac.compare_digest(client.secret_hash, digest(secret)):
            until = lockout.fail(key, door="api")
            if until is not None:
                raise ClientLockedOut(lockout.message(until))
            return False
        lockout.succeed(key)
        request.client = client
        request.client_id = client.client_id
        return True

    def authenticate_client_id(self, client_id, request, *args, **kwargs):
        return False  # public clients may not use client credentials

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        return grant_type == "client_credentials"

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        return request.client.scopes.split()

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        granted = parse_scopes(client.scopes)
        try:
            return all(covered_by(parse_scope(scope), granted) for scope in scopes)
        except InvalidScope:
            return False

    def save_bearer_token(self, token, request, *args, **kwargs):
        now = timezone.now()
        AccessToken.objects.filter(client=request.client, expires_at__lte=now).delete()
        AccessToken.objects.create(
            token_hash=digest(token["access_token"]),
            client=request.client,
            scopes=" ".join(request.scopes),
            issued_at=now,
            expires_at=now + timedelta(seconds=token["expires_in"]),
        )
        token["scope"] = " ".join(request.scopes)


def token_server() -> BackendApplicationServer:
    return BackendApplicationServer(
        ClientCredentialsValidator(),
        token_generator=lambda request: secrets.token_urlsafe(32),
        token_expires_in=lambda request: token_lifetime(),
    )


def issue_token(*, uri: str, body: str, headers: dict) -> tuple[dict, str, int]:
    """Answer a token request: (headers, JSON body, status), success or RFC 6749 error."""
    with transaction.atomic():
        return token_server().create_token_response(uri, "POST", body, headers)
