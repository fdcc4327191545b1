"""Case-finding on the demo neighbourhood finds what the demo generated, in published
proportions."""

from collections import Counter
from datetime import date

import pytest

from oneroof.analytics import engines
from oneroof.analytics.codelists import read_codelists
from oneroof.analytics.rules import load_ruleset
from oneroof.analytics.snapshot import open_snapshot
from oneroof.codelists.loader import DATA_DIR
from oneroof.demo import generate_neighbourhood
from oneroof.population.snapshot import take_snapshot
from oneroof.workforce.models import CareTeam

pytestmark = pytest.mark.django_db  # also what makes pytest-django set up the test database
TODAY = date(2026, 6, 30)
# Clegg A et al., "Development and validation of an electronic frailty index using routine
# primary care electronic health record data", Age and Ageing 45(3):353-360, 2016: among people
# aged 65+ in the development cohort, 50% fit, 35% mild, 12% moderate and 3% severe frailty.
PUBLISHED = {"fit": 0.50, "mild": 0.35, "moderate": 0.12, "severe": 0.03}
TOLERANCE = 0.04  # absolute, in each category, for about 1,900 residents aged 65+


@pytest.fixture(scope="module")
def demo_result(django_db_setup, django_db_blocker, tmp_path_factory):
    """10,000 demo residents, their snapshot, and case-finding on DuckDB."""
    directory = tmp_path_factory.mktemp("snapshot")
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            generate_neighbourhood(residents=10_000, seed=20261125, today=TODAY)
            take_snapshot(directory, today=TODAY)
            coordinated = set(
                CareTeam.objects.filter(coordinator__isnull=False).values_list(
                    "person_id", flat=True
                )
            )
            transaction.set_rollback(True)
    con = engines.duckdb_connection()
    result = engines.run_casefinding(
        con,
        open_snapshot(con, directory),
        rules=load_ruleset(),
        codelists=read_codelists(DATA_DIR),
        index_date=TODAY,
    ).to_pylist()
    return result, coordinated


def test_demo_efi_categories_among_65_plus_match_the_published_distribution(demo_result):
    result, _ = demo_result
    older = [row for row in result if row["age"] >= 65]
    assert len(older) > 1_500
    counts = Counter(row["efi_category"] for row in older)
    shares = {category: counts[category] / len(older) for category in PUBLISHED}
    for category, published in PUBLISHED.items():
        assert shares[category] == pytest.approx(published, abs=TOLERANCE), shares


def test_demo_complex_needs_cohort_is_the_people_the_demo_gave_a_coordinator(demo_result):
    """The demo gives everyone it judged to have complex needs a care team with a coordinator;
    the service's rules read the coded record afresh and should find nearly all of them, and
    not many more (the two differ on purpose in small ways: see docs/codelists.md)."""
    result, coordinated = demo_result
    cohort = {row["person_id"] for row in result if row["complex_needs"]}
    found = len(cohort & coordinated) / len(coordinated)
    extra = len(cohort - coordinated) / len(cohort)
    assert found > 0.9, found
    assert extra < 0.15, extra
