"""The Jinja2 environment: NHS.UK frontend macros, Django helpers, and house date formats."""

from datetime import date, datetime

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from oneroof.core.fields import date_input_items


def format_date(value: date | datetime | None) -> str:
    """'3 March 2026', the NHS content style for dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def format_time(value: datetime | None) -> str:
    """'2:30pm', the NHS content style for times."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    return f"{hour}:{value.minute:02d}{suffix}" if value.minute else f"{hour}{suffix}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{format_date(value)} at {format_time(value)}"


def format_nhs_number(value: str | None) -> str:
    """NHS numbers are read out and written in groups of 3, 3 and 4."""
    if not value:
        return ""
    return f"{value[:3]} {value[3:6]} {value[6:]}"


def in_sentence(label: str) -> str:
    """A label as it reads mid-sentence: 'District nurse' -> 'district nurse', 'GP' stays."""
    if not label or label.split()[0].isupper():
        return label
    return label[0].lower() + label[1:]


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    loader = options.pop("loader")
    options["undefined"] = ChainableUndefined
    options["autoescape"] = True
    env = Environment(
        loader=ChoiceLoader([loader, PackageLoader("nhsuk_frontend_jinja")]),
        extensions=["jinja2.ext.do"],
        **options,
    )
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "asset_path": settings.STATIC_URL + "nhsuk/assets",
            "now": timezone.now,
            "date_input_items": date_input_items,
        }
    )
    env.filters.update(
        {
            "date": format_date,
            "time": format_time,
            "datetime": format_datetime,
            "nhs_number": format_nhs_number,
            "in_sentence": in_sentence,
        }
    )
    return env
