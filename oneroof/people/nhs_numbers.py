"""NHS numbers: ten digits, the last a modulus 11 check digit."""

import re

import nhs_number as nhs_number_lib
from django.core.exceptions import ValidationError

_NON_DIGITS = re.compile(r"[\s-]")


def normalise_nhs_number(value: str) -> str:
    """Strip the spaces and hyphens people type ('943 476 5919' -> '9434765919')."""
    return _NON_DIGITS.sub("", value or "")


def check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None when no valid number exists."""
    weights = range(10, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, weights, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    return None if digit == 10 else digit


def is_valid_nhs_number(value: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the rest. One digit ten times
    (0000000000, 4444444444...) passes the check but is never issued: it is what someone types
    to get past the field, so it is refused too."""
    digits = normalise_nhs_number(value)
    return (
        len(digits) == 10
        and digits.isascii()
        and digits.isdigit()
        and len(set(digits)) > 1
        and nhs_number_lib.is_valid(digits)
    )


def validate_nhs_number(value: str) -> None:
    if not is_valid_nhs_number(value):
        raise ValidationError(
            "Enter a valid NHS number, like 943 476 5919", code="invalid_nhs_number"
        )
