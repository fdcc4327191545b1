from hypothesis import given
from hypothesis import strategies as st

from oneroof.people.nhs_numbers import (
    check_digit,
    is_valid_nhs_number,
    normalise_nhs_number,
)

# England and Wales issue numbers starting 4, 6 and 7; 9 is the test range. (Scottish CHI
# numbers, starting 0 to 3, also encode a date of birth, which the library checks too.)
nine_digits = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("4679"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
)


@given(nine_digits)
def test_nhs_number_with_its_check_digit_is_valid(first_nine):
    digit = check_digit(first_nine)
    if digit is None:  # a remainder of 10 means no valid number starts with these digits
        assert not any(is_valid_nhs_number(f"{first_nine}{d}") for d in range(10))
    elif len(set(f"{first_nine}{digit}")) == 1:  # one digit ten times: never issued
        assert not is_valid_nhs_number(f"{first_nine}{digit}")
    else:
        assert is_valid_nhs_number(f"{first_nine}{digit}")


@given(st.sampled_from("0123456789"))
def test_nhs_number_of_one_digit_repeated_is_invalid_though_its_check_digit_fits(digit):
    number = digit * 10
    assert check_digit(number[:9]) == int(digit)  # it passes modulus 11...
    assert not is_valid_nhs_number(number)  # ...but is never issued


@given(nine_digits, st.integers(0, 8), st.integers(1, 9))
def test_nhs_number_single_digit_error_is_detected(first_nine, position, change):
    digit = check_digit(first_nine)
    if digit is None:
        return
    valid = f"{first_nine}{digit}"
    wrong = valid[:position] + str((int(valid[position]) + change) % 10) + valid[position + 1 :]
    assert not is_valid_nhs_number(wrong)


@given(nine_digits)
def test_nhs_number_typed_with_spaces_or_hyphens_normalises(first_nine):
    digit = check_digit(first_nine)
    if digit is None:
        return
    number = f"{first_nine}{digit}"
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    assert normalise_nhs_number(spaced) == number
    assert normalise_nhs_number(spaced.replace(" ", "-")) == number
    assert is_valid_nhs_number(spaced)


@given(st.text(max_size=12))
def test_nhs_number_anything_not_ten_digits_is_invalid(text):
    digits = normalise_nhs_number(text)
    if not (len(digits) == 10 and digits.isascii() and digits.isdigit()):
        assert not is_valid_nhs_number(text)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_nhs_number_valid_only_with_right_check_digit(number):
    if is_valid_nhs_number(number):
        assert check_digit(number[:9]) == int(number[9])
        assert len(set(number)) > 1


def test_nhs_number_scottish_chi_must_start_with_a_date():
    assert check_digit("010000000") == 2
    assert not is_valid_nhs_number("0100000002")  # 01/00/00 is not a date


def test_nhs_number_known_example_is_valid():
    assert is_valid_nhs_number("943 476 5919")
    assert not is_valid_nhs_number("943 476 5918")
