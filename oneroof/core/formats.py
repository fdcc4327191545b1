"""Dates and times in the NHS content style, for pages, messages and emails alike."""

from datetime import date, datetime

from django.utils import timezone


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
