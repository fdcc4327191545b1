"""Open Referral UK (the UK profile of HSDS 3.0) to and from the service directory.

Pure functions: `service_to_oruk` shapes one service as a fully nested ORUK service, and
`parse_document` validates a whole ORUK document into plain records, collecting every problem
with the path to it (`contents[2].organization.name`) so that an import is all or nothing.

How OneRoof's directory maps onto ORUK (docs/adr/0004 has the reasons):

- Service public_id, name, description, url, email, status: service.id and the fields of the
  same names (status has the same four values).
- minimum_age, maximum_age: service.minimum_age, maximum_age, whole years, both ends included
  ("under 25" is 24); eligibility_description: HSDS 3.0's field of that name.
- Organisation public_id, name, description, email, website: organization.id and the same
  names; its ODS code: organization_identifiers[] with identifier_scheme "GB-NHS".
- Service.sites (Site public_id, name, line, postcode): service_at_locations[].location.
- accepts_self_referral and referrers: attributes[] linking to terms of the ROUTES taxonomy
  ("self", "gp", "optician"...); waiting-time standards: terms of STANDARDS ("75% within 42
  days"); is_mental_health: REPORTING, "mental-health" or "other" (always sent); the kind of
  organisation: ORGANISATION_KINDS on the organization's attributes.

ORUK has no field for who may refer or for waiting-time standards; taxonomy terms linked by
`attributes` are its way of classifying a service, so OneRoof publishes its own small
taxonomies (URNs, as the standard asks for a URI) and reads them back. A consumer that does not
know them ignores them; human-readable `application_process` and `wait_time` (HSDS 3.0) say the
same in words.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from oneroof.workforce.models import OrganisationKind, ReferrerKind, ServiceStatus, describe_days

ROUTES = "urn:oneroof:taxonomy:referral-route"
STANDARDS = "urn:oneroof:taxonomy:waiting-time-standard"
REPORTING = "urn:oneroof:taxonomy:waiting-time-reporting"
ORGANISATION_KINDS = "urn:oneroof:taxonomy:organisation-kind"
ODS_SCHEME = "GB-NHS"  # org-id.guide: NHS Organisation Data Service
MENTAL_HEALTH, OTHER = "mental-health", "other"
# Ids of the parts OneRoof does not store (a service at a location, an address, an attribute)
# are derived from the ids it does, so that exporting twice gives the same document.
NAMESPACE = uuid.UUID("6f0b7f0e-3c1d-4a8e-9a51-2f1f3b0c9d7e")
_STANDARD_TERM = re.compile(r"^(\d{1,3})% within (\d{1,4}) days?$")
_url = URLValidator(schemes=["http", "https"])
# Who may refer, when a directory that is not OneRoof's says nothing about it: the people the
# neighbourhood's services take referrals from by default (GPs, nurses, social workers, schools
# and the rest of the team). Self-referral and the other front doors must be said.
DEFAULT_REFERRERS = (
    ReferrerKind.GP,
    ReferrerKind.NURSE,
    ReferrerKind.SOCIAL_WORKER,
    ReferrerKind.SCHOOL,
    ReferrerKind.PROFESSIONAL,
)
MAX_ERRORS = 50


def derived_id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


# Export


def _term(taxonomy: str, term: str) -> dict:
    return {
        "id": derived_id(taxonomy, term),
        "taxonomy": taxonomy,
        "term": term,
    }


def _attribute(owner_id, link_type: str, taxonomy: str, term: str) -> dict:
    taxonomy_term = _term(taxonomy, term)
    return {
        "id": derived_id(owner_id, taxonomy, term),
        "link_id": str(owner_id),
        "link_type": link_type,
        "taxonomy_term_id": taxonomy_term["id"],
        "taxonomy_term": taxonomy_term,
    }


def timestamp(value: datetime) -> str:
    """ORUK's last_modified: UTC, to the millisecond ('2023-03-15T10:30:45.123Z')."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def organisation_to_oruk(organisation) -> dict:
    data = {
        "id": str(organisation.public_id),
        "name": organisation.name,
        # Required by the standard; the name is the best description there is when none is kept.
        "description": organisation.description or organisation.name,
    }
    if organisation.email:
        data["email"] = organisation.email
    if organisation.website:
        data["website"] = organisation.website
    if organisation.ods_code:
        data["organization_identifiers"] = [
            {
                "id": derived_id(organisation.public_id, ODS_SCHEME),
                "organization_id": str(organisation.public_id),
                "identifier_scheme": ODS_SCHEME,
                "identifier_type": "ODS code",
                "identifier": organisation.ods_code,
            }
        ]
    data["attributes"] = [
        _attribute(
            organisation.public_id, "organisation_kind", ORGANISATION_KINDS, organisation.kind
        )
    ]
    return data


def site_to_oruk(service_id, site) -> dict:
    return {
        "id": derived_id(service_id, site.public_id),
        "service_id": str(service_id),
        "location_id": str(site.public_id),
        "location": {
            "id": str(site.public_id),
            "name": site.name,
            "addresses": [
                {
                    "id": derived_id(site.public_id, "address"),
                    "location_id": str(site.public_id),
                    "address_1": site.line,
                    # Required by HSDS; a Site keeps only its street line and postcode.
                    "city": "",
                    "state_province": "",
                    "postal_code": site.postal_code,
                    "country": "GB",
                    "address_type": "physical",
                }
            ],
        },
    }


def application_process(service) -> str:
    """How to get to the service, in words (HSDS 3.0 application_process)."""
    routes = [ReferrerKind(kind).label for kind in service.referrers if kind in ReferrerKind]
    parts = []
    if service.accepts_self_referral:
        parts.append("Refer yourself online.")
    if routes:
        parts.append("Referrals are taken from: " + ", ".join(routes).lower() + ".")
    return " ".join(parts)


def service_to_oruk(service, *, organisation, sites, standards) -> dict:
    """One service, fully nested, as the ORUK API's /services/{id} returns it."""
    data = {
        "id": str(service.public_id),
        "organization_id": str(organisation.public_id),
        "name": service.name,
        "description": service.description,
        "status": service.status,
    }
    if service.url:
        data["url"] = service.url
    if service.email:
        data["email"] = service.email
    if service.minimum_age is not None:
        data["minimum_age"] = service.minimum_age
    if service.maximum_age is not None:
        data["maximum_age"] = service.maximum_age
    if service.eligibility_description:
        data["eligibility_description"] = service.eligibility_description
    process = application_process(service)
    if process:
        data["application_process"] = process
    if standards:
        data["wait_time"] = "; ".join(
            f"{s.percent}% seen within {describe_days(s.days)}" for s in standards
        )
    data["last_modified"] = timestamp(service.updated_at)
    data["organization"] = organisation_to_oruk(organisation)
    data["service_at_locations"] = [site_to_oruk(service.public_id, site) for site in sites]
    kinds = ([ReferrerKind.SELF] if service.accepts_self_referral else []) + list(service.referrers)
    attributes = [_attribute(service.public_id, "referral_route", ROUTES, kind) for kind in kinds]
    attributes += [
        _attribute(
            service.public_id,
            "waiting_time_standard",
            STANDARDS,
            f"{s.percent}% within {s.days} days",
        )
        for s in standards
    ]
    attributes.append(
        _attribute(
            service.public_id,
            "waiting_time_reporting",
            REPORTING,
            MENTAL_HEALTH if service.is_mental_health else OTHER,
        )
    )
    data["attributes"] = attributes
    return data


def page(contents: list[dict]) -> dict:
    """A whole directory as one page of the ORUK API's paginated /services."""
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


# Import


class OrukError(Exception):
    """The document is not valid Open Referral UK for this directory; nothing was imported."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s) in the Open Referral UK file")
        self.errors = errors


@dataclass(frozen=True)
class OrganisationRecord:
    id: uuid.UUID
    name: str = ""
    description: str = ""
    email: str = ""
    website: str = ""
    ods_code: str = ""
    kind: str = ""
    reference_only: bool = False  # only organization_id was given: it must exist already


@dataclass(frozen=True)
class LocationRecord:
    id: uuid.UUID
    name: str
    line: str
    postal_code: str


@dataclass(frozen=True)
class ServiceRecord:
    id: uuid.UUID
    name: str
    status: str
    organisation: OrganisationRecord
    description: str = ""
    url: str = ""
    email: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    eligibility_description: str = ""
    last_modified: datetime | None = None
    locations: tuple[LocationRecord, ...] | None = None  # None: the file did not say
    # OneRoof's own attributes; None when the service carries none (another directory's).
    accepts_self_referral: bool | None = None
    referrers: tuple[str, ...] | None = None
    standards: tuple[tuple[int, int], ...] | None = None  # (percent, days)
    is_mental_health: bool | None = None


@dataclass
class _Reader:
    """Reads values out of the document, noting each problem with its path."""

    errors: list[str] = field(default_factory=list)

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def obj(self, value, path: str) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, "must be an object")
            return None
        return value

    def items(self, data: dict, key: str, path: str) -> list:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}.{key}", "must be a list")
            return []
        return value

    def text(self, data: dict, key: str, path: str, *, required=False, max_length=None) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.error(f"{path}.{key}", "is required")
            return ""
        if not isinstance(value, str):
            self.error(f"{path}.{key}", "must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.error(f"{path}.{key}", "is required")
        if max_length and len(value) > max_length:
            self.error(f"{path}.{key}", f"must be {max_length} characters or fewer")
            return ""
        return value

    def uuid(self, data: dict, key: str, path: str) -> uuid.UUID | None:
        value = data.get(key)
        if value in (None, ""):
            self.error(f"{path}.{key}", "is required")
            return None
        try:
            return uuid.UUID(str(value))
        except ValueError:
            self.error(f"{path}.{key}", f"must be a UUID, not {str(value)[:40]!r}")
            return None

    def email(self, data: dict, key: str, path: str) -> str:
        value = self.text(data, key, path, max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(f"{path}.{key}", "must be an email address")
                return ""
        return value

    def url(self, data: dict, key: str, path: str) -> str:
        value = self.text(data, key, path, max_length=200)
        if value:
            try:
                _url(value)
            except ValidationError:
                self.error(f"{path}.{key}", "must be a web address starting http:// or https://")
                return ""
        return value

    def age(self, data: dict, key: str, path: str) -> int | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                self.error(f"{path}.{key}", "must be a number")
                return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(f"{path}.{key}", "must be a number")
            return None
        if value != int(value) or not 0 <= value <= 150:
            self.error(f"{path}.{key}", "must be a whole number of years from 0 to 150")
            return None
        return int(value)

    def timestamp(self, data: dict, key: str, path: str) -> datetime | None:
        value = self.text(data, key, path)
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.error(f"{path}.{key}", "must be a date and time like 2023-03-15T10:30:45.123Z")
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _services_in(document, reader: _Reader) -> list[tuple[str, object]]:
    """The services of a page ({"contents": [...]}), a list, or a single service."""
    if isinstance(document, list):
        return [(f"[{i}]", item) for i, item in enumerate(document)]
    if isinstance(document, dict) and "contents" in document:
        contents = document["contents"]
        if not isinstance(contents, list):
            reader.error("contents", "must be a list of services")
            return []
        return [(f"contents[{i}]", item) for i, item in enumerate(contents)]
    if isinstance(document, dict) and "id" in document and "name" in document:
        return [("service", document)]
    reader.error(
        "file", "must be an Open Referral UK page of services, a list of services or one service"
    )
    return []


def _terms(reader: _Reader, data: dict, path: str) -> dict[str, list[tuple[str, str]]]:
    """OneRoof's taxonomy terms among the attributes: taxonomy -> [(term, path)]."""
    found: dict[str, list[tuple[str, str]]] = {}
    for i, item in enumerate(reader.items(data, "attributes", path)):
        item_path = f"{path}.attributes[{i}]"
        attribute = reader.obj(item, item_path)
        if attribute is None:
            continue
        term = attribute.get("taxonomy_term")
        if not isinstance(term, dict):
            continue  # a link to a term described elsewhere: not one of ours to read
        taxonomy = term.get("taxonomy")
        if taxonomy in (ROUTES, STANDARDS, REPORTING, ORGANISATION_KINDS):
            value = reader.text(term, "term", f"{item_path}.taxonomy_term", required=True)
            found.setdefault(taxonomy, []).append((value, f"{item_path}.taxonomy_term.term"))
    return found


def _organisation(reader: _Reader, data: dict, path: str) -> OrganisationRecord | None:
    nested = data.get("organization")
    if nested is None:
        org_id = reader.uuid(data, "organization_id", path)
        return OrganisationRecord(id=org_id, reference_only=True) if org_id else None
    org_path = f"{path}.organization"
    org = reader.obj(nested, org_path)
    if org is None:
        return None
    org_id = reader.uuid(org, "id", org_path)
    name = reader.text(org, "name", org_path, required=True, max_length=200)
    description = reader.text(org, "description", org_path, required=True)
    ods_code = ""
    for i, item in enumerate(reader.items(org, "organization_identifiers", org_path)):
        identifier = reader.obj(item, f"{org_path}.organization_identifiers[{i}]")
        if identifier is not None and identifier.get("identifier_scheme") == ODS_SCHEME:
            ods_code = reader.text(
                identifier,
                "identifier",
                f"{org_path}.organization_identifiers[{i}]",
                required=True,
                max_length=10,
            )
    kind = ""
    for term, term_path in _terms(reader, org, org_path).get(ORGANISATION_KINDS, []):
        if term not in OrganisationKind.values:
            reader.error(term_path, f"is not a kind of organisation OneRoof knows: {term!r}")
        else:
            kind = term
    if org_id is None:
        return None
    return OrganisationRecord(
        id=org_id,
        name=name,
        description=description,
        email=reader.email(org, "email", org_path),
        website=reader.url(org, "website", org_path),
        ods_code=ods_code,
        kind=kind,
    )


def _locations(reader: _Reader, data: dict, path: str) -> tuple[LocationRecord, ...] | None:
    if "service_at_locations" not in data:
        return None
    locations = []
    for i, item in enumerate(reader.items(data, "service_at_locations", path)):
        link_path = f"{path}.service_at_locations[{i}]"
        link = reader.obj(item, link_path)
        if link is None:
            continue
        location = reader.obj(link.get("location"), f"{link_path}.location")
        if location is None:
            continue
        location_path = f"{link_path}.location"
        location_id = reader.uuid(location, "id", location_path)
        name = reader.text(location, "name", location_path, required=True, max_length=200)
        addresses = reader.items(location, "addresses", location_path)
        if not addresses:
            reader.error(f"{location_path}.addresses", "give the address of the location")
            continue
        address_path = f"{location_path}.addresses[0]"
        address = reader.obj(addresses[0], address_path)
        if address is None:
            continue
        line = reader.text(address, "address_1", address_path, required=True, max_length=200)
        postcode = reader.text(address, "postal_code", address_path, required=True, max_length=10)
        if location_id is not None:
            locations.append(LocationRecord(location_id, name, line, postcode))
    return tuple(locations)


def _oneroof_attributes(reader: _Reader, data: dict, path: str) -> dict:
    terms = _terms(reader, data, path)
    if REPORTING not in terms:
        if ROUTES in terms or STANDARDS in terms:
            reader.error(
                f"{path}.attributes",
                f"a service with OneRoof's referral routes or standards must also say its "
                f"waiting-time reporting group ({REPORTING})",
            )
        return {}
    routes = []
    for term, term_path in terms.get(ROUTES, []):
        if term not in ReferrerKind.values:
            reader.error(term_path, f"is not a referral route OneRoof knows: {term!r}")
        elif term not in routes:
            routes.append(term)
    standards = []
    for term, term_path in terms.get(STANDARDS, []):
        match = _STANDARD_TERM.match(term)
        if not match or not 1 <= int(match[1]) <= 100 or int(match[2]) < 1:
            reader.error(term_path, f"must read like '75% within 42 days', not {term!r}")
        else:
            standards.append((int(match[1]), int(match[2])))
    if len({days for _, days in standards}) != len(standards):
        reader.error(f"{path}.attributes", "has two waiting-time standards for the same wait")
    reporting = [term for term, _ in terms[REPORTING]]
    if any(term not in (MENTAL_HEALTH, OTHER) for term in reporting) or len(set(reporting)) > 1:
        reader.error(
            f"{path}.attributes", f"waiting-time reporting must be '{MENTAL_HEALTH}' or '{OTHER}'"
        )
    return {
        "accepts_self_referral": ReferrerKind.SELF in routes,
        "referrers": tuple(kind for kind in routes if kind != ReferrerKind.SELF),
        "standards": tuple(sorted(standards, key=lambda s: s[1])),
        "is_mental_health": reporting[0] == MENTAL_HEALTH,
    }


def _service(reader: _Reader, item, path: str) -> ServiceRecord | None:
    data = reader.obj(item, path)
    if data is None:
        return None
    service_id = reader.uuid(data, "id", path)
    name = reader.text(data, "name", path, required=True, max_length=200)
    status = reader.text(data, "status", path, required=True)
    if status and status not in ServiceStatus.values:
        reader.error(f"{path}.status", f"must be one of {', '.join(ServiceStatus.values)}")
    minimum_age = reader.age(data, "minimum_age", path)
    maximum_age = reader.age(data, "maximum_age", path)
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        reader.error(f"{path}.minimum_age", "must not be more than maximum_age")
    organisation = _organisation(reader, data, path)
    record = dict(
        description=reader.text(data, "description", path),
        url=reader.url(data, "url", path),
        email=reader.email(data, "email", path),
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        eligibility_description=reader.text(data, "eligibility_description", path, max_length=500),
        last_modified=reader.timestamp(data, "last_modified", path),
        locations=_locations(reader, data, path),
        **_oneroof_attributes(reader, data, path),
    )
    if service_id is None or organisation is None or not name or not status:
        return None
    return ServiceRecord(
        id=service_id, name=name, status=status, organisation=organisation, **record
    )


def parse_document(document) -> list[ServiceRecord]:
    """Every service in an ORUK document, or OrukError listing every problem found."""
    reader = _Reader()
    records = []
    seen = set()
    for path, item in _services_in(document, reader):
        record = _service(reader, item, path)
        if record is not None:
            if record.id in seen:
                reader.error(f"{path}.id", "is the id of another service in this file")
            seen.add(record.id)
            records.append(record)
        if len(reader.errors) >= MAX_ERRORS:
            break
    if not records and not reader.errors:
        reader.error("file", "has no services in it")
    if reader.errors:
        raise OrukError(reader.errors[:MAX_ERRORS])
    return records
