"""The Jinja2 environment: NHS.UK frontend macros, Django helpers, and house date formats."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from oneroof.core.fields import date_input_items
from oneroof.core.formats import format_date, format_datetime, format_time


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
