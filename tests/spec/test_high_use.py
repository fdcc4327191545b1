"""High use: 3+ emergency admissions or 10+ GP contacts in the 12 months to the index date."""

from datetime import date, timedelta

from .harness import INDEX_DATE, code, column, contact, event, person

ADMITTED = "emergency-admission"


def test_high_use_three_emergency_admissions_in_twelve_months(engine):
    admission = code(ADMITTED)
    results = engine.find_cases(
        {
            "persons": [person(n) for n in (1, 2, 3, 4)],
            "coded_events": [event(1, admission, date(2026, m, 1)) for m in (1, 3, 5)]
            # one of the three is more than a year before
            + [event(2, admission, date(2025, 6, 30))]
            + [event(2, admission, date(2026, m, 1)) for m in (3, 5)]
            # two codes on one day are one admission
            + [event(3, admission, date(2026, 3, 1)), event(3, admission, date(2026, 3, 1))]
            + [event(3, admission, date(2026, 4, 1))]
            # one after the index date
            + [event(4, admission, date(2026, m, 1)) for m in (3, 5, 7)],
        }
    )
    assert column(results, "emergency_admissions") == {1: 3, 2: 2, 3: 2, 4: 2}
    assert column(results, "high_use") == {1: True, 2: False, 3: False, 4: False}
    assert column(results, "meets_high_use") == {1: True, 2: False, 3: False, 4: False}


def test_high_use_ten_gp_contacts_in_twelve_months(engine):
    def days(person_id, count, profession="gp", first=1):
        return [
            contact(person_id, INDEX_DATE - timedelta(days=first + 7 * n), profession)
            for n in range(count)
        ]

    results = engine.find_cases(
        {
            "persons": [person(n) for n in (1, 2, 3, 4, 5)],
            "contacts": days(1, 10)
            + days(2, 9)
            + days(2, 5, "practice_nurse")
            # the window is the 365 days up to the index date: 365 days before is out
            + days(3, 9)
            + [contact(3, INDEX_DATE - timedelta(days=365))]
            + days(4, 9)
            + [contact(4, INDEX_DATE - timedelta(days=364))]
            + days(5, 9)
            + [contact(5, INDEX_DATE + timedelta(days=1))],
        }
    )
    assert column(results, "gp_contacts") == {1: 10, 2: 9, 3: 9, 4: 10, 5: 9}
    assert column(results, "high_use") == {1: True, 2: False, 3: False, 4: True, 5: False}
