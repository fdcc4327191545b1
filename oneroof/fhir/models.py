"""The API's clients and their tokens, its access log, and the import-identity table."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class ApiClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class ApiClient(models.Model):
    """Another system that calls the API with OAuth2 client credentials (SMART Backend Services).

    Its `name` is what a resident reads in "who opened my record". Its `user` is the account the
    audit trail points to; that account can never sign in to the web pages."""

    client_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    # SHA-256 of the client secret: the secret is 256 random bits, shown once, never stored.
    secret_hash = models.CharField(max_length=64)
    scopes = models.TextField()  # the SMART scopes this client may be granted, space-separated
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    # An organisation's system (an optician's practice, a pharmacy, a GP practice): it sends
    # referrals only from its own organisation's practitioners, and reads only what binding.py
    # allows. Empty for a neighbourhood system.
    organisation = models.ForeignKey(
        "workforce.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ApiClientQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class AccessToken(models.Model):
    """A bearer token issued to a client. Only its SHA-256 is kept."""

    token_hash = models.CharField(max_length=64, unique=True)
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    scopes = models.TextField()
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)


class ApiAccess(models.Model):
    """One request to the API, whoever made it and however it ended.

    Person-level reads are also written to the person's own audit trail (audit.RecordAccess);
    this log keeps everything else (directory reads, refusals). No query string is kept: a search
    by NHS number must not land in a log."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, null=True, blank=True, related_name="accesses"
    )
    method = models.CharField(max_length=10)
    interaction = models.CharField(max_length=30)  # read, search, update, everything, token...
    resource_type = models.CharField(max_length=40, blank=True)
    status = models.PositiveSmallIntegerField()
    results = models.PositiveIntegerField(default=0)  # resources returned
    people = models.PositiveIntegerField(default=0)  # distinct people whose data was returned

    class Meta:
        ordering = ["-at"]


class ImportedResource(models.Model):
    """Which OneRoof object a resource from another system became: importing the same resource
    again finds it here and changes nothing (or updates it, if the source changed it)."""

    source = models.CharField(max_length=200)  # the sending system
    resource_type = models.CharField(max_length=40)
    resource_id = models.CharField(max_length=64)
    # One source resource may become several rows (a blood pressure panel: two observations).
    part = models.CharField(max_length=40, blank=True, default="")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)
    # False when the resource matched something OneRoof already held (a person by NHS number, an
    # organisation by ODS code): the import links to it and never overwrites it.
    owned = models.BooleanField(default=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "resource_type", "resource_id", "part"],
                name="one_object_per_source_resource",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class PatientIdentifier(models.Model):
    """An identifier another system gave a person (its MRN), kept so that system can find them
    again, and the mark on an NHS number that OneRoof assigned from the test range because the
    source sent none (`use = temp`)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="fhir_identifiers"
    )
    system = models.CharField(max_length=200)
    value = models.CharField(max_length=100)
    use = models.CharField(max_length=10, blank=True)  # FHIR identifier-use: usual, temp...

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "value"], name="one_person_per_identifier")
        ]
