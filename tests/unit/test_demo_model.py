"""The demo's population and morbidity models, drawn without a database."""

import csv
import gzip
from datetime import date

import numpy as np
import pytest

from oneroof.demo import figures
from oneroof.demo.codes import CONDITIONS
from oneroof.demo.coding import CodeBook, fits, zipf_order
from oneroof.demo.morbidity import MorbiditySampler, _condition_choice
from oneroof.demo.population import PopulationSampler, load_lsoas
from tests.published import PUBLISHED

TODAY = date(2026, 6, 30)
SHARED = PUBLISHED
FILE_6 = SHARED / "imd2019" / "File_6_-_IoD2019_Population_Denominators.csv.gz"
QOF_BY_DECILE = (
    SHARED / "nhs-open-data" / "hoc-library-local-health-data-from-QOF" / "outputs"
    / "output_imd_prevalence.csv"
)  # fmt: skip


@pytest.fixture(scope="module")
def drawn():
    """200,000 residents and their health, drawn as the generator draws them."""
    lsoas = load_lsoas()
    sampler = PopulationSampler(TODAY, lsoas, np.array([i % 3 for i in range(len(lsoas))]))
    morbidity = MorbiditySampler(TODAY.toordinal())
    rng = np.random.default_rng(2026)
    people = sampler.sample(rng, np.arange(200_000))
    return lsoas, people, morbidity.sample(rng, people)


def test_lsoa_age_bands_are_file_6s():
    """data/lsoas.csv carries File 6's mid-2015 population aged 0-15, 16-59 and 60+ for each of
    the demo's LSOAs: they must be the published numbers."""
    if not FILE_6.is_file():
        pytest.skip(f"IoD2019 File 6 (published) is not beside this checkout: {FILE_6}")
    ours = {lsoa.code: lsoa for lsoa in load_lsoas()}
    with gzip.open(FILE_6, "rt", encoding="utf-8-sig") as handle:
        published = {row[0]: row for row in csv.reader(handle) if row[0] in ours}
    assert set(published) == set(ours)
    for code, lsoa in ours.items():
        row = [int(v.replace(",", "")) for v in published[code][4:8]]
        assert lsoa.population == row[0]
        assert lsoa.aged == tuple(row[1:4]), code


def test_qof_prevalence_by_decile_is_the_published_one():
    if not QOF_BY_DECILE.is_file():
        pytest.skip(f"QOF by IMD decile (published) is not beside this checkout: {QOF_BY_DECILE}")
    with QOF_BY_DECILE.open(encoding="utf-8") as handle:
        rows = {(r["group_code"], r["imd_overall"]): r for r in csv.DictReader(handle)}
    for register, (_, percentages) in figures.QOF_PREVALENCE_BY_DECILE.items():
        for decile, ours in enumerate(percentages, start=1):
            published = float(rows[(register, str(decile))]["prevalence"]) * 100
            assert ours == pytest.approx(published, rel=0.01, abs=0.005), (register, decile)


def test_each_lsoa_has_its_own_age_structure(drawn):
    lsoas, people, _ = drawn
    shares = []
    for index, lsoa in enumerate(lsoas):
        here = people.lsoa == index
        drawn_share = (people.ages[here] >= 60).mean()
        published = lsoa.aged[2] / sum(lsoa.aged)
        assert drawn_share == pytest.approx(published, abs=0.02), lsoa.code
        shares.append(drawn_share)
    assert max(shares) - min(shares) > 0.2  # 8% to 36% aged 60+ in File 6


@pytest.mark.parametrize(("key", "register"), [("epilepsy", "EP"), ("osteoporosis", "OST")])
def test_epilepsy_and_osteoporosis_at_qof_prevalence(drawn, key, register):
    """Among the register's denominator ages, by decile group, close to QOF 2019/20 after the
    demo's own age mix (so compared age-specifically, through the model's calibration)."""
    _, people, health = drawn
    min_age, percentages = figures.QOF_PREVALENCE_BY_DECILE[register]
    adults = people.ages >= min_age
    prevalence = health.has[key][adults].mean() * 100
    low, high = min(percentages), max(percentages)
    # The demo's LSOAs are older than England's at the affluent end and younger at the deprived
    # one, so the crude figure may sit a little outside QOF's decile range: within a third.
    assert low * 0.67 < prevalence < high * 1.33, prevalence


def test_palliative_care_register_is_steady_and_deaths_balance_additions(drawn):
    _, people, health = drawn
    since, died = health.palliative_since, health.died_on
    today = TODAY.toordinal()

    def on_register(day):
        return int(((since > 0) & (since <= day) & ((died == 0) | (died > day))).sum())

    now, then = on_register(today), on_register(today - 365)
    joined = int(((since > today - 365) & (since <= today)).sum())
    deaths = int((died > 0).sum())
    assert now > 500
    assert then == pytest.approx(now, rel=0.10)
    assert deaths == pytest.approx(joined, rel=0.15)


def test_some_conditions_are_resolved_in_their_stated_share(drawn):
    _, _, health = drawn
    for spec in CONDITIONS:
        ever = health.has[spec.key] | health.resolved[spec.key]
        share = health.resolved[spec.key][ever].mean()
        assert share == pytest.approx(spec.resolved, abs=0.03), spec.key


def test_code_fits_sex_and_age_by_its_term():
    assert not fits("Malignant tumour of prostate", male=False, child=False)
    assert fits("Malignant tumour of prostate", male=True, child=False)
    assert not fits("Postmenopausal osteoporosis", male=True, child=False)
    assert not fits("Juvenile rheumatoid arthritis", male=True, child=False)
    assert fits("Juvenile rheumatoid arthritis", male=True, child=True)
    assert fits("Osteoarthritis of cervical spine", male=True, child=False)


def test_zipf_order_puts_general_concepts_before_specific_ones():
    entries = [
        ("4", "Severe persistent allergic asthma"),
        ("3", "Byssinosis"),
        ("2", "Allergic asthma"),
        ("1", "Asthma"),
    ]
    # "Asthma" is in three terms, "Allergic asthma" in two, the others in none (shorter first).
    assert [code for code, _ in zipf_order(entries)] == ["1", "2", "3", "4"]


def test_no_woman_is_coded_with_a_male_only_cancer(drawn):
    book = CodeBook()
    cancer = next(spec for spec in CONDITIONS if spec.key == "cancer")
    choice = _condition_choice(book, cancer)
    picks = choice.draw(
        np.random.default_rng(1), np.zeros(20_000, dtype=bool), np.zeros(20_000, dtype=bool)
    )
    terms = {choice.terms[i] for i in picks.tolist()}
    assert not any("prostat" in term.lower() for term in terms)
    assert len(terms) > 100  # the long tail of a 6,000-code list
