"""Measures in the browser: a team member reads a measure's charts, tables and CSVs and the
monthly report pack; a resident reads the public performance page on a phone, signed out."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from oneroof.analytics.measures import Period
from oneroof.measures.models import MeasureRun
from oneroof.measures.services import store_results
from tests.factories import NeighbourhoodFactory, ProfessionalFactory, UserFactory
from tests.spec.measures_harness import computed_results
from tests.system.browser import Browser

RIVERSIDE = 9001
MAY = Period.month(2026, 5)
MONTHS = MAY.months_back(3)


@pytest.fixture
def measures(transactional_db):
    """Riverside's measures for March to May 2026, with no Friends and Family Test yet."""
    NeighbourhoodFactory(pk=RIVERSIDE, code="riverside", name="Riverside")
    run = MeasureRun.objects.create(
        trigger="on_demand",
        first_month=MONTHS[0].start,
        last_month=MAY.start,
        engine="duckdb",
        definitions_version="test",
        rule_version="test",
        status="done",
    )
    for month, results in computed_results((RIVERSIDE,), tuple(MONTHS), ("feedback",)):
        store_results(run, month, results)


@pytest.fixture
def nurse(transactional_db):
    user = UserFactory(username="aisha.khan", first_name="Aisha", last_name="Khan")
    return ProfessionalFactory(user=user, given_name="Aisha", family_name="Khan")


def table_rows(table) -> tuple[list[str], list[list[str]]]:
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    rows = []
    for row in table.locator("tbody tr").all():
        rows.append([c.strip() for c in row.locator("th, td").all_inner_texts()])
    return headers, rows


def download_csv(browser: Browser, link_name: str) -> tuple[str, list[list[str]]]:
    with browser.page.expect_download() as info:
        browser.page.get_by_role("link", name=link_name, exact=True).click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    return download.suggested_filename, list(csv.reader(io.StringIO(text)))


def without_commas(rows: list[list[str]]) -> list[list[str]]:
    return [[cell.replace(",", "") for cell in row] for row in rows]


def test_team_member_reads_a_measure_its_chart_table_and_csv(browser: Browser, measures, nurse):
    # Given a district nurse has signed in
    browser.sign_in("aisha.khan")

    # When they open the measures for Riverside
    browser.follow("Measures")
    browser.follow("Riverside")

    # Then they see every topic for the latest month, with FFT honestly not there yet
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Riverside measures")
    expect(browser.page.get_by_label("Month")).to_have_value("2026-05")
    fft = browser.page.get_by_role("row").filter(has_text="Friends and Family Test")
    expect(fft).to_contain_text("No data yet: Friends and Family Test answers are not in")

    # When they open the same-day right
    browser.follow("Same-day right met")

    # Then the page has a trend chart and a chart for each breakdown, each with its table
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Same-day right met")
    expect(
        browser.page.get_by_role("img", name="Same-day right met: month by month")
    ).to_be_visible()
    caption = "Same-day right met: by deprivation (IMD 2019 quintile of where the person lives)"
    expect(browser.page.get_by_role("img", name=caption)).to_be_visible()
    headers, rows = table_rows(browser.table(caption))
    assert headers == [
        "Deprivation (IMD 2019 quintile of where the person lives)",
        "Per cent",
        "Lower 95% limit",
        "Upper 95% limit",
        "Numerator",
        "Denominator (requests)",
    ]
    assert [row[0] for row in rows] == [
        "1 (most deprived)", "2", "3", "4", "5 (least deprived)", "Not known",
    ]  # fmt: skip

    # When they download that table as CSV
    filename, downloaded = download_csv(browser, f"Download this table as CSV ({caption})")

    # Then the CSV is the table, header and all
    assert filename == "riverside-right-met-same-day-imd_quintile-2026-05.csv"
    assert downloaded[0] == headers
    assert downloaded[1:] == without_commas(rows)

    # And the trend's table has the three months
    trend = browser.table("Same-day right met: month by month")
    _, months = table_rows(trend)
    assert [m[0] for m in months] == ["Mar 2026", "Apr 2026", "May 2026"]

    # When they choose April
    browser.choose("Month", "April 2026")
    browser.press("Show")

    # Then the page is for April
    expect(browser.page.get_by_text("Riverside, April 2026")).to_be_visible()


def test_team_member_prints_the_monthly_report_pack(browser: Browser, measures, nurse):
    # Given a district nurse has signed in and opened a measure
    browser.sign_in("aisha.khan")
    browser.visit("/measures/riverside/carers-identified/")

    # When they open the report pack
    browser.follow("Monthly report pack for May 2026")

    # Then it has every topic, with figures rounded and small numbers hidden
    heading = "Riverside neighbourhood: monthly report pack"
    expect(browser.page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(browser.page.get_by_role("button", name="Print this report")).to_be_visible()
    for topic in ("Getting an appointment", "Seeing the same GP", "Social needs"):
        expect(browser.page.get_by_role("heading", level=2, name=topic)).to_be_visible()
    table = browser.table("Carers identified per 1,000 residents: month by month")
    headers, rows = table_rows(table)
    counted = [headers.index("Numerator"), headers.index("Denominator (people)")]
    for row in rows:
        for cell in (row[i].replace(",", "") for i in counted):
            assert cell == "[c]" or (int(cell) % 5 == 0 and not 1 <= int(cell) <= 7)

    # And printed, the page leaves out the header, the links and the button
    browser.page.emulate_media(media="print")
    expect(browser.page.locator("header.nhsuk-header")).to_be_hidden()
    expect(browser.page.get_by_role("button", name="Print this report")).to_be_hidden()
    expect(browser.page.get_by_role("heading", level=1)).to_be_visible()


def test_resident_reads_the_public_performance_page_on_a_phone(phone: Browser, measures):
    # Given a resident, not signed in, on their phone
    # When they open the performance page for their neighbourhood
    phone.visit("/performance/")
    phone.follow("Riverside")

    # Then they see how the neighbourhood is doing, with no sign-in
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("Riverside: how we are doing")
    expect(phone.page.get_by_text("rounded to the nearest 5")).to_be_visible()
    card = phone.page.locator(".nhsuk-card").filter(has_text="People who rated their experience")
    expect(card).to_contain_text("Not reported yet.")

    # When they open one measure
    phone.follow("Carers known to the neighbourhood team")

    # Then its deprivation table shows only rounded counts, and the CSV says the same
    caption = (
        "Carers identified per 1,000 residents: by deprivation "
        "(IMD 2019 quintile of where the person lives)"
    )
    headers, rows = table_rows(phone.table(caption))
    for row in rows:
        for cell in row[4:]:
            cell = cell.replace(",", "")
            assert cell in ("[c]", "[x]") or (int(cell) % 5 == 0 and not 1 <= int(cell) <= 7)
    filename, downloaded = download_csv(phone, f"Download this table as CSV ({caption})")
    assert downloaded[0] == headers
    assert downloaded[1:] == without_commas(rows)
