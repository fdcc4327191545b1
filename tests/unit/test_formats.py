from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from oneroof.config.jinja2_env import format_date, format_nhs_number, format_time

LONDON = ZoneInfo("Europe/London")


def test_format_date_in_nhs_style():
    assert format_date(date(2026, 3, 3)) == "3 March 2026"


@pytest.mark.parametrize(
    ("hour", "minute", "text"),
    [(14, 30, "2:30pm"), (9, 0, "9am"), (12, 0, "midday"), (0, 5, "12:05am"), (12, 15, "12:15pm")],
)
def test_format_time_in_nhs_style(hour, minute, text):
    assert format_time(datetime(2026, 3, 3, hour, minute, tzinfo=LONDON)) == text


def test_format_time_shows_london_time_for_utc_values():
    summer_utc = datetime(2026, 7, 1, 13, 0, tzinfo=ZoneInfo("UTC"))
    assert format_time(summer_utc) == "2pm"


def test_format_nhs_number_in_groups():
    assert format_nhs_number("9434765919") == "943 476 5919"


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("District nurse", "district nurse"),
        ("GP", "GP"),
        ("Social prescribing link worker", "social prescribing link worker"),
    ],
)
def test_in_sentence_lowercases_all_but_acronyms(label, text):
    from oneroof.config.jinja2_env import in_sentence

    assert in_sentence(label) == text
