"""The registry of implemented resource types: the single source of the API's routes, its
search parameters, its `_include`s, `Patient/$everything` and the CapabilityStatement.

Adding a resource is a mapper (in `mappers/`) and one `ResourceType` registered in
`resources/`; nothing else changes, and `/metadata` tells the truth about it at once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from .binding import bound_rows
from .consent import consent_withdrawn, shared_only
from .outcomes import not_found
from .search import ID_PARSERS, SearchParam, custom

READ = "read"
SEARCH = "search-type"
UPDATE = "update"
CREATE = "create"


@dataclass(frozen=True)
class Include:
    """`_include=<Source>:<param>`: the `target` resources that `key` (an attribute path to the
    target's primary key, e.g. "person_id") names on each result."""

    param: str
    target: str
    key: str


@dataclass(frozen=True)
class ResourceType:
    name: str  # the FHIR resource type
    queryset: Callable[[], QuerySet]  # every row, with what the mapper reads select_related
    mapper: Callable[..., dict]  # the pure mapper: obj (+ extras) -> FHIR resource
    params: tuple[SearchParam, ...] = ()
    id_field: str = "pk"  # the field the FHIR id is: "pk", or "public_id" for uuids
    # The ORM path from a row to the Person it is about ("person", "care_plan__person"); "" for
    # Patient itself; None for resources about no one person (directory, organisations).
    person_path: str | None = None
    includes: tuple[Include, ...] = ()
    # Batch loader: rows -> {row pk: keyword arguments for the mapper}, in a fixed number of
    # queries, for what the mapper needs beyond the row (a Patient's address).
    extras: Callable[[list], dict] | None = None
    # Writes, when other systems may make them. Each takes the parsed, validated resource and
    # the calling client, calls the owning app's service, audits the person, and returns what
    # it wrote; it raises FhirError for what it refuses (a taken slot: outcomes.conflict, 409).
    #   create(*, body, client) -> (row, created)      POST /<Type>; created is False when the
    #                                                  same submission was made before
    #   update(*, row, body, current, client) -> row   PUT /<Type>/<id>
    create: Callable[..., tuple[Model, bool]] | None = None
    update: Callable[..., Model] | None = None
    # For a client tied to an organisation (binding.py): client -> a Q over these rows for
    # those its organisation made itself (the referrals its practitioners sent), which it may
    # read whoever they are about. Rows about people it has a relationship with it may read
    # anyway.
    made_by: Callable[[object], Q] | None = None
    # What a client is shown of rows it may read: (rows, resources, auth) -> resources, when
    # part of a resource would tell it more than it may know (a referral's subject names a
    # Patient the client may not read). `auth` is the request's ClientContext.
    shown_to: Callable[[list, list[dict], object], list[dict]] | None = None
    ordering: tuple[str, ...] = ("pk",)
    in_everything: bool = True  # part of Patient/$everything when about a person
    documentation: str = ""

    @property
    def interactions(self) -> tuple[str, ...]:
        writes = ((CREATE, self.create), (UPDATE, self.update))
        return (READ, SEARCH, *(name for name, write in writes if write is not None))

    @property
    def id_kind(self) -> str:
        return "uuid" if self.id_field == "public_id" else "int"

    @property
    def model(self) -> type[Model]:
        return self.queryset().model

    @property
    def all_params(self) -> tuple[SearchParam, ...]:
        return (self._id_param(), *self.params)

    def param(self, name: str) -> SearchParam | None:
        return next((p for p in self.all_params if p.name == name), None)

    def includes_for(self, param: str, target: str | None) -> list[Include]:
        """What `_include=<Type>:<param>[:<target>]` brings in: every target of a reference
        parameter that may point at several types (a Schedule's actor), unless one is named."""
        return [
            i for i in self.includes if i.param == param and (target is None or i.target == target)
        ]

    def _id_param(self) -> SearchParam:
        parse = ID_PARSERS[self.id_kind]

        def build(values: list[str], modifier: str) -> Q:
            ids = [v for v in (parse(value) for value in values) if v is not None]
            return Q(**{f"{self.id_field}__in": ids})

        return custom("_id", "token", "The resource's logical id", build)

    def parse_id(self, resource_id: str):
        return ID_PARSERS[self.id_kind](resource_id)

    def id_of(self, obj) -> str:
        return str(getattr(obj, self.id_field))

    def rows(self, client, *, honour_consent: bool = True) -> QuerySet:
        """Every row this client may see: its scopes decide the resource types; its
        organisation, if it has one, the rows (binding.py); none about a person who objects to
        sharing (fhir.consent). `client` None is OneRoof itself: the targets of a write's
        references, a row just written."""
        rows = bound_rows(
            self.queryset(), person_path=self.person_path, client=client, made_by=self.made_by
        )
        return shared_only(self, rows) if honour_consent and client is not None else rows

    def get(self, resource_id: str, client):
        """The row this FHIR id names, if this client may see it; else a 404 OperationOutcome
        (never a 403, which would tell it that the row exists), or a 403 saying the person
        withdrew consent to share when that alone keeps the row back."""
        parsed = self.parse_id(resource_id)
        if parsed is None:
            raise not_found(self.name, resource_id)
        try:
            return self.rows(client).get(**{self.id_field: parsed})
        except ObjectDoesNotExist:
            unshared = self.rows(client, honour_consent=False).filter(**{self.id_field: parsed})
            if client is not None and unshared.exists():
                raise consent_withdrawn(self.name) from None
            raise not_found(self.name, resource_id) from None

    def person_pk_of(self, obj) -> int | None:
        """The primary key of the person this row is about, without a query."""
        if self.person_path is None:
            return None
        if self.person_path == "":
            return obj.pk
        *hops, last = self.person_path.split("__")
        for hop in hops:
            obj = getattr(obj, hop)
        return getattr(obj, f"{last}_id")

    def for_person_pk(self, person_pk: int, client) -> QuerySet:
        lookup = "pk" if self.person_path == "" else f"{self.person_path}_id"
        return self.rows(client).filter(**{lookup: person_pk})

    def render(self, rows: list, auth=None) -> list[dict]:
        """The rows as FHIR resources, as the client of `auth` (a ClientContext) may see them;
        None: in full, for OneRoof itself."""
        extras = self.extras(rows) if self.extras and rows else {}
        resources = [self.mapper(row, **extras.get(row.pk, {})) for row in rows]
        if self.shown_to is not None and auth is not None and rows:
            resources = self.shown_to(rows, resources, auth)
        return resources


_registry: dict[str, ResourceType] = {}


def register(resource: ResourceType) -> ResourceType:
    _registry[resource.name] = resource
    return resource


def resource_types() -> list[ResourceType]:
    return sorted(_registry.values(), key=lambda r: r.name)


def get_resource(name: str) -> ResourceType | None:
    return _registry.get(name)


def registered(name: str) -> ResourceType:
    """The resource type the code names (a reference target, an include, Patient): one that is
    missing is a fault in the registry, said plainly rather than as an AttributeError on None."""
    resource = _registry.get(name)
    if resource is None:
        raise LookupError(f"No FHIR resource type {name!r} is registered")
    return resource
