"""Search parameters: what each FHIR search parameter type means as a Django query.

A `SearchParam` turns the values of one parameter (comma-separated values are ORed; a repeated
parameter is ANDed by the caller) into a `Q`. The helpers here build the common kinds: token,
reference, date and string. Values that cannot mean anything (a date that is no date) raise an
OperationOutcome naming the parameter; a well-formed value that matches nothing just matches
nothing.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .outcomes import invalid, not_supported

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class SearchParam:
    name: str
    type: str  # FHIR search parameter type: token, reference, date, string
    documentation: str
    build: Callable[[list[str], str], Q]  # (values, modifier) -> Q
    modifiers: frozenset[str] = field(default_factory=frozenset)

    def q(self, values: list[str], modifier: str = "") -> Q:
        if modifier and modifier not in self.modifiers:
            raise not_supported(
                f"The modifier ':{modifier}' is not supported on '{self.name}'",
                f"{self.name}:{modifier}",
            )
        return self.build(values, modifier)


def _any(qs: list[Q]) -> Q:
    result = NOTHING
    for q in qs:
        result |= q
    return result


# Token --------------------------------------------------------------------------------------


def split_token(value: str) -> tuple[str | None, str]:
    """'system|code' -> (system, code); '|code' -> ('', code); 'code' -> (None, code)."""
    if "|" in value:
        system, code = value.split("|", 1)
        return system, code
    return None, value


def token(
    name: str,
    documentation: str,
    field_name: str,
    *,
    system: str | None = None,
    values: dict[str, object] | None = None,
) -> SearchParam:
    """A coded element. `system` is the code system the field's codes belong to (a search naming
    another system matches nothing); `values` maps FHIR codes to stored values when they differ."""

    def build(raw: list[str], modifier: str) -> Q:
        qs = []
        for value in raw:
            sys, code = split_token(value)
            if sys is not None and sys != (system or ""):
                continue
            if sys and not code:  # "system|": any code from that system
                qs.append(~NOTHING)
            elif values is not None:
                if code not in values:
                    continue
                qs.append(Q(**{field_name: values[code]}))
            else:
                qs.append(Q(**{field_name: code}))
        result = _any(qs)
        return ~result if modifier == "not" else result

    return SearchParam(name, "token", documentation, build, frozenset({"not"}))


def boolean(name: str, documentation: str, field_name: str) -> SearchParam:
    return token(name, documentation, field_name, values={"true": True, "false": False})


# Reference ------------------------------------------------------------------------------------

_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def split_reference(value: str) -> tuple[str | None, str]:
    """'Patient/123', 'https://host/fhir/R4/Patient/123' or '123' -> (type or None, id)."""
    parts = value.rstrip("/").split("/")
    if len(parts) >= 2:
        return parts[-2], parts[-1]
    return None, parts[-1]


def parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def parse_int(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


ID_PARSERS = {"uuid": parse_uuid, "int": parse_int}


def reference(
    name: str,
    documentation: str,
    field_path: str,
    target: str,
    *,
    id_kind: str = "int",
) -> SearchParam:
    """A reference to one resource type. `field_path` reaches the target model; Patients are
    named by their public id (`id_kind="uuid"`), other targets by their primary key."""
    lookup = f"{field_path}__public_id" if id_kind == "uuid" else f"{field_path}_id"
    parse = ID_PARSERS[id_kind]

    def build(raw: list[str], modifier: str) -> Q:
        qs = []
        for value in raw:
            resource_type, resource_id = split_reference(value)
            if modifier and resource_type is None:
                resource_type = modifier
            if resource_type not in (None, target):
                continue
            parsed = parse(resource_id)
            if parsed is not None:
                qs.append(Q(**{lookup: parsed}))
        return _any(qs)

    return SearchParam(name, "reference", documentation, build, frozenset({target}))


# Date -----------------------------------------------------------------------------------------

_PREFIXES = ("eq", "ne", "lt", "gt", "le", "ge", "sa", "eb", "ap")
_DATE = re.compile(
    r"^(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2})"
    r"(T(?P<time>\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


def date_range(value: str, param: str) -> tuple[str, datetime, datetime]:
    """A date search value as (prefix, start, end): the half-open range [start, end) that its
    precision implies ('2024' is the whole year). A value without a time zone is local time."""
    prefix = value[:2] if value[:2] in _PREFIXES else "eq"
    text = value[2:] if value[:2] in _PREFIXES else value
    match = _DATE.match(text)
    error = invalid(
        f"'{value}' is not a date. Use YYYY, YYYY-MM, YYYY-MM-DD or a full date and time, "
        "optionally after a prefix such as ge or lt",
        param,
    )
    if match is None:
        raise error
    try:
        if match["time"]:
            start = datetime.fromisoformat(text)
            seconds = match["time"].count(":") == 2
            step = timedelta(seconds=1) if seconds else timedelta(minutes=1)
            if "." in match["time"]:
                step = timedelta(microseconds=1)
            end = start + step
        else:
            year, month, day = int(match["year"]), int(match["month"] or 1), int(match["day"] or 1)
            start = datetime(year, month, day)
            if match["day"]:
                end = start + timedelta(days=1)
            elif match["month"]:
                end = datetime(year + month // 12, month % 12 + 1, 1)
            else:
                end = datetime(year + 1, 1, 1)
    except (ValueError, OverflowError):
        raise error from None
    if timezone.is_naive(start):
        start, end = timezone.make_aware(start), timezone.make_aware(end)
    if prefix == "ap":
        raise not_supported("The date prefix 'ap' (approximately) is not supported", param)
    return prefix, start, end


def _compare(field_name: str, prefix: str, low, high) -> Q:
    """The FHIR date prefixes over a target that is a point (a date or a moment)."""
    f = field_name
    return {
        "eq": Q(**{f"{f}__gte": low, f"{f}__lt": high}),
        "ne": ~Q(**{f"{f}__gte": low, f"{f}__lt": high}),
        "lt": Q(**{f"{f}__lt": low}),
        "eb": Q(**{f"{f}__lt": low}),
        "le": Q(**{f"{f}__lt": high}),
        "gt": Q(**{f"{f}__gte": high}),
        "sa": Q(**{f"{f}__gte": high}),
        "ge": Q(**{f"{f}__gte": low}),
    }[prefix]


def _local_dates(start: datetime, end: datetime) -> tuple[date, date]:
    first = timezone.localdate(start)
    last = timezone.localdate(end - timedelta(microseconds=1))
    return first, last + timedelta(days=1)


def date_param(name: str, documentation: str, field_name: str, *, is_date: bool) -> SearchParam:
    """A date or date-time element. `is_date` for a DateField (compared as local dates)."""

    def build(raw: list[str], modifier: str) -> Q:
        qs = []
        for value in raw:
            prefix, start, end = date_range(value, name)
            low, high = _local_dates(start, end) if is_date else (start, end)
            qs.append(_compare(field_name, prefix, low, high))
        return _any(qs)

    return SearchParam(name, "date", documentation, build)


# String ---------------------------------------------------------------------------------------


def string(name: str, documentation: str, *field_names: str) -> SearchParam:
    """Text: by default matches where any of the fields starts with the value, ignoring case
    (FHIR's rule); `:exact` matches whole and case-sensitively, `:contains` anywhere."""
    lookups = {"": "istartswith", "exact": "exact", "contains": "icontains"}

    def build(raw: list[str], modifier: str) -> Q:
        lookup = lookups[modifier]
        return _any([Q(**{f"{f}__{lookup}": value.strip()}) for value in raw for f in field_names])

    return SearchParam(name, "string", documentation, build, frozenset({"exact", "contains"}))


def custom(
    name: str, type_: str, documentation: str, build: Callable[[list[str], str], Q]
) -> SearchParam:
    return SearchParam(name, type_, documentation, build)
