"""Patient/$everything: the whole-person record as one Bundle, with what it refers to that is
about no one person (practitioners, organisations, services, slots and their schedules)."""

from . import scopes
from .outcomes import Issue, invalid
from .query import searchset
from .registry import get_resource, registered, resource_types

PARAMS = {"_type", "_format", "_pretty"}


def _references(value, found: set[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        reference = value.get("reference")
        if isinstance(reference, str) and reference.count("/") == 1:
            kind, _, resource_id = reference.partition("/")
            found.add((kind, resource_id))
        for item in value.values():
            _references(item, found)
    elif isinstance(value, list):
        for item in value:
            _references(item, found)


def _referred_to(resources: list[dict], granted, withheld: list[str]) -> list[dict]:
    """The resources about no one person (practitioners, slots, services...) that these refer
    to, and those that they refer to in turn (an appointment's slot's schedule), each once."""
    found: set[tuple[str, str]] = set()
    _references(resources, found)
    done: set[tuple[str, str]] = set()
    added: list[dict] = []
    while wanted := found - done:
        done |= wanted
        new: list[dict] = []
        for kind in sorted({kind for kind, _ in wanted}):
            target = get_resource(kind)
            if target is None or target.person_path is not None:
                continue  # about a person: already here, or not this person's to give
            if not scopes.allows(granted, kind, "read"):
                withheld.append(kind)
                continue
            ids = [target.parse_id(i) for k, i in wanted if k == kind]
            rows = target.queryset().filter(**{f"{target.id_field}__in": [i for i in ids if i]})
            new += target.render(list(rows.order_by(*target.ordering)))
        _references(new, found)
        added += new
    return added


def _parse(params, strict: bool) -> tuple[set[str] | None, list[Issue]]:
    warnings, types = [], None
    for name in params:
        if name == "_type":
            types = {t for value in params.getlist(name) for t in value.split(",") if t}
        elif name not in PARAMS:
            message = f"'{name}' is not a parameter of $everything (known: _type)"
            if strict:
                raise invalid(message, name)
            warnings.append(
                Issue("warning", "not-supported", f"{message}; it was ignored", (name,))
            )
    return types, warnings


def everything_bundle(
    person, *, client, granted, params, strict: bool, base: str, auth=None
) -> tuple[dict, int]:
    """The Patient, everything about them that the client's scopes allow reading, and the
    directory resources (practitioners, organisations) those refer to."""
    types, warnings = _parse(params, strict)
    patient = registered("Patient")
    resources = patient.render([person], auth)
    withheld = []
    for resource in resource_types():
        if resource.person_path in (None, "") or not resource.in_everything:
            continue
        if types is not None and resource.name not in types:
            continue
        if not scopes.allows(granted, resource.name, "read"):
            withheld.append(resource.name)
            continue
        rows = list(resource.for_person_pk(person.pk, client).order_by(*resource.ordering))
        resources += resource.render(rows, auth)
    resources += _referred_to(resources, granted, withheld)
    if withheld:
        warnings.append(
            Issue(
                "information",
                "suppressed",
                "Left out because your scopes do not allow reading them: "
                + ", ".join(sorted(set(withheld))),
            )
        )
    bundle = searchset(
        base=base,
        matches=resources,
        included=[],
        total=len(resources),
        links=[],
        warnings=warnings,
    )
    return bundle, len(resources)
