"""Running a FHIR search over HTTP: parameters, strict or lenient handling, paging, _include,
and the searchset Bundle with its links."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q

from . import scopes
from .consent import count_shared, shared_only
from .outcomes import Issue, forbidden, invalid, not_supported, operation_outcome
from .registry import Include, ResourceType, registered

DEFAULT_COUNT = 20
MAX_COUNT = 100
# Parameters that shape the result rather than filter it.
RESULT_PARAMS = {"_count", "_offset", "_include", "_format", "_pretty"}


@dataclass
class Search:
    resource: ResourceType
    filters: list[Q] = field(default_factory=list)
    used: list[tuple[str, str]] = field(default_factory=list)  # echoed in the self link
    includes: list[Include] = field(default_factory=list)
    ignored: list[Issue] = field(default_factory=list)  # lenient handling: what was ignored
    count: int = DEFAULT_COUNT
    offset: int = 0


def is_strict(request) -> bool:
    """`Prefer: handling=strict` asks for an error, not silence, on parameters we do not know."""
    prefer = request.headers.get("Prefer", "")
    return any(part.strip().lower() == "handling=strict" for part in prefer.split(","))


def _non_negative(name: str, values: list[str]) -> int:
    value = values[-1]
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise invalid(f"{name} must be a whole number of 0 or more, not '{value}'", name)
    return int(value)


def _unknown(search: Search, strict: bool, name: str, diagnostics: str) -> None:
    if strict:
        raise invalid(diagnostics, name)
    search.ignored.append(
        Issue("warning", "not-supported", f"{diagnostics}; it was ignored", (name,))
    )


def _parse_include(search: Search, value: str, strict: bool) -> None:
    parts = value.split(":")
    resource = search.resource
    includes = []
    if len(parts) in (2, 3) and parts[0] == resource.name:
        includes = resource.includes_for(parts[1], parts[2] if len(parts) == 3 else None)
    if not includes:
        known = ", ".join(f"{resource.name}:{i.param}" for i in resource.includes) or "none"
        _unknown(search, strict, "_include", f"_include={value} is not supported (known: {known})")
        return
    search.includes += includes
    search.used.append(("_include", value))


# Each value is a clause of the SQL: 400 of them made a query PostgreSQL refused and SQLite
# struggled with. A client that needs more asks in pages.
MAX_SEARCH_VALUES = 100


def parse_search(resource: ResourceType, params, *, strict: bool) -> Search:
    """A request's query parameters as a Search, or a 400 OperationOutcome naming the bad one."""
    search = Search(resource)
    searched = 0  # values asked for, across every parameter: each is a clause of the query
    for raw_name in params:
        values = params.getlist(raw_name)
        if any("\x00" in value for value in values):  # PostgreSQL text cannot hold NUL
            raise invalid(f"'{raw_name}' must not contain a NUL character", raw_name)
        name, _, modifier = raw_name.partition(":")
        if name == "_count":
            search.count = min(_non_negative(name, values), MAX_COUNT)
        elif name == "_offset":
            search.offset = _non_negative(name, values)
        elif name == "_include":
            for value in values:
                _parse_include(search, value, strict)
        elif name in RESULT_PARAMS:
            continue
        elif (param := resource.param(name)) is None:
            known = ", ".join(p.name for p in resource.all_params)
            _unknown(
                search,
                strict,
                raw_name,
                f"Unknown search parameter '{raw_name}' for {resource.name} (known: {known})",
            )
        else:
            for value in values:
                if value == "":
                    continue  # FHIR: an empty parameter value is ignored
                ored = value.split(",")
                searched += len(ored)
                if searched > MAX_SEARCH_VALUES:
                    raise invalid(
                        f"A search may have at most {MAX_SEARCH_VALUES} values in all "
                        f"(comma-separated or repeated); '{raw_name}' takes it past that",
                        raw_name,
                    )
                search.filters.append(param.q(ored, modifier))
                search.used.append((raw_name, value))
    return search


def check_include_scopes(search: Search, granted) -> None:
    for include in search.includes:
        if not scopes.allows(granted, include.target, "read"):
            raise forbidden(
                f"Your scopes do not allow reading {include.target}, which "
                f"_include={search.resource.name}:{include.param} asks for",
                "_include",
            )


@dataclass
class Page:
    rows: list
    total: int
    included: dict[str, list] = field(default_factory=dict)  # resource type -> rows
    withheld: int = 0  # matches about people who object to sharing (fhir.consent)
    counted: list[int] = field(default_factory=list)  # the people the total counts (below)


# Bundle.total tells the client something about every person it counts: that Meera has a
# condition coded X (Condition?patient=Meera&code=X&_count=0), that an NHS number is held
# (Patient?identifier=...&_count=0). Each person a total counts goes into their trail, as a
# returned person does, while the total counts no more people than a page may return; a total
# over more people is a count of a population, which singles out no one by itself.
MAX_COUNTED_PEOPLE = MAX_COUNT


def people_counted(resource: ResourceType, matches, total: int) -> list[int]:
    """The primary keys of the people that `matches` (a search's `total` rows) are about, when
    they are at most MAX_COUNTED_PEOPLE; else none. One query, however many rows match."""
    if resource.person_path is None or total == 0:
        return []
    if resource.person_path == "" and total > MAX_COUNTED_PEOPLE:
        return []  # Patient rows are people: too many, without asking
    field_name = resource.person_path or "pk"
    pks = list(
        matches.order_by()
        .filter(**{f"{field_name}__isnull": False})
        .values_list(field_name, flat=True)
        .distinct()[: MAX_COUNTED_PEOPLE + 1]
    )
    return pks if len(pks) <= MAX_COUNTED_PEOPLE else []


def _key(row, path: str):
    for attr in path.split("."):
        row = getattr(row, attr)
    return row


def run_search(search: Search, client) -> Page:
    resource = search.resource
    qs = resource.rows(client, honour_consent=False)
    for q in search.filters:
        qs = qs.filter(q)
    total, withheld = count_shared(resource, qs) if client is not None else (qs.count(), 0)
    qs = shared_only(resource, qs) if client is not None else qs
    rows = []
    if search.count and search.offset < total:
        rows = list(qs.order_by(*resource.ordering)[search.offset : search.offset + search.count])
    page = Page(rows, total, withheld=withheld, counted=people_counted(resource, qs, total))
    for include in search.includes:
        pks = {_key(row, include.key) for row in rows} - {None}
        target = registered(include.target)
        already = {r.pk for r in page.included.get(include.target, [])}
        if include.target == resource.name:
            already |= {r.pk for r in rows}
        wanted = pks - already
        if wanted:
            page.included.setdefault(include.target, []).extend(
                target.rows(client).filter(pk__in=wanted).order_by(*target.ordering)
            )
    return page


def page_links(base_url: str, search: Search, total: int) -> list[dict]:
    def url(offset: int) -> str:
        query = [*search.used, ("_count", str(search.count)), ("_offset", str(offset))]
        return f"{base_url}?{urlencode(query)}"

    links = [{"relation": "self", "url": url(search.offset)}]
    links.append({"relation": "first", "url": url(0)})
    if search.count and search.offset + search.count < total:
        links.append({"relation": "next", "url": url(search.offset + search.count)})
    if search.count and search.offset > 0:
        links.append({"relation": "previous", "url": url(max(0, search.offset - search.count))})
    if search.count:
        last = max(0, (total - 1) // search.count * search.count)
        links.append({"relation": "last", "url": url(last)})
    return links


def entry(base: str, resource: dict, mode: str | None = "match") -> dict:
    result = {
        "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
    }
    if mode:
        result["search"] = {"mode": mode}
    return result


def searchset(
    *, base: str, matches: list[dict], included: list[dict], total: int | None, links, warnings
) -> dict:
    entries = [entry(base, r, "match") for r in matches]
    entries += [entry(base, r, "include") for r in included]
    if warnings:
        entries.append({"resource": operation_outcome(warnings), "search": {"mode": "outcome"}})
    bundle: dict[str, object] = {"resourceType": "Bundle", "type": "searchset"}
    if total is not None:
        bundle["total"] = total
    if links:
        bundle["link"] = links
    if entries:  # FHIR allows no empty arrays
        bundle["entry"] = entries
    return bundle


def check_format(params, accept: str) -> None:
    """JSON only: `_format` or an Accept header asking for XML (or anything else) is a 406."""
    for value in params.getlist("_format"):
        if value not in {"json", "application/json", "application/fhir+json"}:
            raise not_supported(
                f"Only JSON is served (_format={value} asked for something else)",
                "_format",
                status=406,
            )
    if accept and not any(kind in accept for kind in ("json", "*/*", "application/*", "text/html")):
        raise not_supported(
            f"Only application/fhir+json is served (Accept: {accept[:100]})", "Accept", status=406
        )
