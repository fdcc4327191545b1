"""load_demo: reproducible, idempotent with --if-empty, all or nothing."""

import hashlib
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from oneroof.care.models import Condition, MedicationStatement
from oneroof.demo import generate_neighbourhood
from oneroof.demo.care import CareSampler
from oneroof.people.models import Person
from oneroof.workforce.models import Professional

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    """Raised to roll a generated neighbourhood back once it has been fingerprinted."""


def fingerprint(residents: int, seed: int) -> str:
    """A hash of who lives in the neighbourhood and what is recorded about them."""
    try:
        with transaction.atomic():
            generate_neighbourhood(residents=residents, seed=seed)
            digest = hashlib.sha256()
            for row in Person.objects.order_by("nhs_number").values_list(
                "nhs_number",
                "public_id",
                "given_name",
                "family_name",
                "birth_date",
                "gender",
                "ethnic_group",
            ):
                digest.update(repr(row).encode())
            for model in (Condition, MedicationStatement):
                for row in model.objects.order_by("person__nhs_number", "code").values_list(
                    "person__nhs_number", "code"
                ):
                    digest.update(repr(row).encode())
            raise _Undo(digest.hexdigest())
    except _Undo as undo:
        return str(undo)


def test_same_seed_gives_the_same_neighbourhood_and_another_seed_does_not():
    first = fingerprint(1_000, seed=7)
    assert Person.objects.count() == 0  # rolled back
    assert fingerprint(1_000, seed=7) == first
    assert fingerprint(1_000, seed=8) != first


def test_load_demo_if_empty_does_nothing_the_second_time():
    out = StringIO()
    call_command("load_demo", residents=300, if_empty=True, stdout=out, verbosity=0)
    assert Person.objects.count() == 300
    professionals = Professional.objects.count()
    call_command("load_demo", residents=300, if_empty=True, stdout=out, verbosity=0)
    assert "already has residents" in out.getvalue()
    assert Person.objects.count() == 300
    assert Professional.objects.count() == professionals


def test_load_demo_refuses_a_database_with_residents_without_if_empty():
    call_command("load_demo", residents=50, stdout=StringIO(), verbosity=0)
    with pytest.raises(CommandError, match="already has residents"):
        call_command("load_demo", residents=50, stdout=StringIO(), verbosity=0)


def test_a_failure_part_way_leaves_the_database_as_it_was():
    with mock.patch.object(CareSampler, "write", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError, match="disk full"):
            generate_neighbourhood(residents=500, seed=1)
    assert Person.objects.count() == 0
    assert Professional.objects.count() == 0
    assert Condition.objects.count() == 0


def test_demo_sign_ins_command_lists_every_sign_in():
    out = StringIO()
    call_command("demo_sign_ins", stdout=out)
    for username in (
        "coordinator",
        "nurse",
        "socialworker",
        "gp",
        "physio",
        "reception",
        "privacy",
        "patel",
        "priya",
    ):
        assert f"  {username} " in out.getvalue()
    assert "oneroof-demo" in out.getvalue()
