"""Published figures the demo neighbourhood is drawn from, each with its source.

docs/demo-neighbourhood.md lists the same figures in one table. Where a figure is this project's
own modelling choice rather than a published number, the comment says so.
"""

# --- Age and sex -------------------------------------------------------------------------------

# Share of England's usual residents in each five-year age band (lower bound of the band; the
# last band is 90 and over). Source: ONS, "Population and household estimates, England and
# Wales: Census 2021", table P02 (England, E92000001), 2022.
AGE_BAND_SHARES: tuple[tuple[int, float], ...] = (
    (0, 0.05447),
    (5, 0.05928),
    (10, 0.06042),
    (15, 0.05698),
    (20, 0.06044),
    (25, 0.06577),
    (30, 0.06997),
    (35, 0.06719),
    (40, 0.06338),
    (45, 0.06377),
    (50, 0.06918),
    (55, 0.06738),
    (60, 0.05764),
    (65, 0.04899),
    (70, 0.04951),
    (75, 0.03609),
    (80, 0.02528),
    (85, 0.01544),
    (90, 0.00882),
)
OLDEST_AGE = 101  # ages in the 90+ band are spread over 90..100, fewer at each year

# Share of each age band that is female, approximate, in whole percentage points. Source: ONS,
# Census 2021 table P03 (usual residents by sex and five-year age band, England), 2022. Boys
# outnumber girls at birth; women outnumber men from middle age, increasingly so after 75.
FEMALE_SHARE_BY_BAND: dict[int, float] = {
    0: 0.49,
    5: 0.49,
    10: 0.49,
    15: 0.49,
    20: 0.50,
    25: 0.51,
    30: 0.51,
    35: 0.51,
    40: 0.51,
    45: 0.51,
    50: 0.51,
    55: 0.51,
    60: 0.51,
    65: 0.52,
    70: 0.53,
    75: 0.54,
    80: 0.56,
    85: 0.60,
    90: 0.68,
}

# --- Ethnicity ---------------------------------------------------------------------------------

# High-level ethnic group of England's usual residents. Source: ONS, "Ethnic group, England and
# Wales: Census 2021", 2022 (England: White 81.0%, Asian 9.6%, Black 4.2%, Mixed 3.0%,
# Other 2.2%).
ETHNIC_GROUP_SHARES: dict[str, float] = {
    "white": 0.810,
    "asian": 0.096,
    "black": 0.042,
    "mixed": 0.030,
    "other": 0.022,
}

# --- Households ----------------------------------------------------------------------------------

# Probability of living alone by age (lower bound of band). Modelled from ONS, "Families and
# households in the UK: 2022" (people living alone by age), rounded; the demo's own choice of
# bands.
LIVES_ALONE_BY_AGE: tuple[tuple[int, float], ...] = (
    (0, 0.0),
    (18, 0.03),
    (25, 0.10),
    (45, 0.14),
    (65, 0.24),
    (75, 0.38),
    (85, 0.55),
)

# --- Long-term conditions: QOF 2019/20 prevalence by IMD 2019 decile --------------------------

# Recorded prevalence (%) of each QOF register in England, by IMD 2019 decile of the patient's
# LSOA (decile 1 = most deprived ... decile 10 = least deprived), with the register's age
# denominator. Source: House of Commons Library, "Local health data from QOF" (2021), file
# outputs/output_imd_prevalence.csv, modelled from NHS Digital, "Quality and Outcomes Framework,
# 2019-20" and "Patients registered at a GP practice, April 2020".
QOF_PREVALENCE_BY_DECILE: dict[str, tuple[int, tuple[float, ...]]] = {
    # register: (minimum age of the denominator, percentages for deciles 1..10)
    "AF": (0, (1.78, 1.71, 1.73, 1.92, 2.08, 2.18, 2.24, 2.28, 2.32, 2.33)),
    "AST": (0, (6.87, 6.41, 6.25, 6.33, 6.42, 6.47, 6.52, 6.51, 6.52, 6.45)),
    "CAN": (0, (2.66, 2.65, 2.70, 2.94, 3.16, 3.32, 3.41, 3.46, 3.53, 3.58)),
    "CHD": (0, (3.34, 3.01, 2.91, 3.04, 3.11, 3.13, 3.15, 3.13, 3.11, 2.97)),
    "CKD": (18, (4.22, 3.88, 3.80, 3.90, 4.04, 4.07, 4.17, 4.17, 4.18, 4.06)),
    "COPD": (0, (2.62, 2.15, 1.98, 1.95, 1.91, 1.84, 1.83, 1.79, 1.70, 1.51)),
    "DEM": (0, (0.625, 0.630, 0.654, 0.719, 0.794, 0.829, 0.883, 0.897, 0.925, 0.935)),
    "DEP": (18, (13.8, 12.2, 11.5, 11.3, 11.3, 11.1, 11.3, 11.2, 11.0, 10.7)),
    "EP": (18, (0.993, 0.852, 0.795, 0.786, 0.783, 0.771, 0.775, 0.761, 0.749, 0.715)),
    "DM": (17, (8.53, 7.93, 7.56, 7.30, 7.11, 6.86, 6.68, 6.51, 6.33, 5.84)),
    "HF": (0, (0.945, 0.882, 0.856, 0.878, 0.902, 0.901, 0.907, 0.911, 0.904, 0.865)),
    "HYP": (0, (14.1, 13.7, 13.5, 13.9, 14.2, 14.3, 14.4, 14.4, 14.4, 13.9)),
    "LD": (0, (0.670, 0.589, 0.543, 0.524, 0.505, 0.484, 0.467, 0.454, 0.433, 0.401)),
    "MH": (0, (1.18, 1.11, 1.05, 0.981, 0.919, 0.872, 0.838, 0.806, 0.770, 0.720)),
    "OB": (18, (13.2, 11.9, 11.2, 10.7, 10.4, 10.0, 9.97, 9.65, 9.34, 8.45)),
    "OST": (50, (0.768, 0.748, 0.761, 0.789, 0.830, 0.873, 0.889, 0.899, 0.926, 0.970)),
    "PAD": (0, (0.755, 0.626, 0.585, 0.589, 0.590, 0.582, 0.583, 0.576, 0.555, 0.514)),
    "PC": (0, (0.507, 0.465, 0.451, 0.463, 0.477, 0.475, 0.486, 0.494, 0.487, 0.473)),
    "RA": (16, (0.789, 0.753, 0.735, 0.756, 0.780, 0.777, 0.784, 0.778, 0.775, 0.744)),
    "STIA": (0, (1.80, 1.67, 1.65, 1.75, 1.82, 1.85, 1.88, 1.87, 1.87, 1.83)),
}

# Age mix of each IMD decile: shares aged 0-15, 16-59 and 60+ of the LSOA populations in that
# decile. Deprived areas are younger, so their crude QOF prevalence understates the deprivation
# gradient at a given age; this mix lets prevalence.py take the age mix out. Source: MHCLG,
# "English indices of deprivation 2019", File 6 (population denominators, mid-2015), summed
# over the LSOAs of each decile of File 1.
DECILE_AGE_MIX: tuple[tuple[float, float, float], ...] = (
    (0.2394, 0.5858, 0.1748),
    (0.2187, 0.6016, 0.1797),
    (0.2012, 0.6092, 0.1896),
    (0.1840, 0.6015, 0.2145),
    (0.1789, 0.5871, 0.2339),
    (0.1745, 0.5790, 0.2465),
    (0.1716, 0.5678, 0.2606),
    (0.1726, 0.5625, 0.2648),
    (0.1767, 0.5543, 0.2690),
    (0.1833, 0.5420, 0.2747),
)

# Share of the people ever coded with a condition who have a later code from its QOF resolved
# cluster (ASTRES, DEPRES, DMRES, ...). No national figure for these shares is published in the
# material this project draws on: they are the demo's own assumptions, chosen to follow what is
# known qualitatively (childhood asthma and episodes of depression often resolve; type 2
# diabetes goes into remission in a few; hypertension, COPD and heart failure seldom resolve).
# The prevalence models draw "ever coded" at register / (1 - share), so that the register (the
# people whose latest code is not resolved) still matches QOF.
RESOLVED_ASTHMA = 0.15
RESOLVED_DEPRESSION = 0.20
RESOLVED_DIABETES = 0.02
RESOLVED_HYPERTENSION = 0.02
RESOLVED_CKD = 0.05
RESOLVED_COPD = 0.01
RESOLVED_HEART_FAILURE = 0.02
RESOLVED_EPILEPSY = 0.05

# The palliative care register over the year: people join it and most leave it by dying. With a
# mean of PALLIATIVE_MEAN_YEARS on the register (exponentially distributed), a register that is
# steady through the year has about 1 / PALLIATIVE_MEAN_YEARS deaths a year for each member.
# The demo's own assumption: it gives about 0.5% of the population dying on the register each
# year, about half of England's deaths (0.9% of the population a year, ONS deaths registered
# 2019), in line with the share of deaths that are on a register being well under all of them.
PALLIATIVE_MEAN_YEARS = 1.0

# --- Figures outside QOF -------------------------------------------------------------------------

# Generalised anxiety disorder in adults 16+: 5.9%. Source: NHS Digital, "Adult Psychiatric
# Morbidity Survey: Survey of Mental Health and Wellbeing, England, 2014" (2016).
ANXIETY_PREVALENCE_16_PLUS = 0.059

# Knee and hip osteoarthritis in people aged 45+: 4.71 million (18%) have sought treatment for
# knee OA and 2.46 million (8%) for hip OA. Source: Arthritis Research UK, "Osteoarthritis in
# general practice: data and perspectives" (2013).
KNEE_OA_PREVALENCE_45_PLUS = 0.18
HIP_OA_PREVALENCE_45_PLUS = 0.08

# Current smokers, 15+, recorded in GP records, 2019/20: England 16.5%, and by IMD 2019 decile of
# district (most to least deprived). Source: OHID Fingertips indicator 91547 "Smoking prevalence
# in adults (15+) - current smokers (QOF)", 2019/20.
SMOKING_PREVALENCE_15_PLUS = 0.165
SMOKING_BY_DECILE = (19.6, 18.4, 18.2, 17.0, 16.3, 15.0, 14.5, 13.9, 13.2, 11.8)

# Adults often or always lonely: 6% of 16+. Source: DCMS, "Community Life Survey 2019/20" (2020).
LONELY_PREVALENCE_16_PLUS = 0.06

# Over-indebted adults: 8.3 million, 16% of UK adults. Source: Money Advice Service,
# "A picture of over-indebtedness" (2016).
OVER_INDEBTED_PREVALENCE_18_PLUS = 0.16

# Unemployment rate, 16-64: 3.8% (2019 annual average). Source: ONS, "Labour market overview,
# UK" (Labour Force Survey), 2020.
UNEMPLOYMENT_RATE_16_64 = 0.038

# Deprivation gradient for needs with no published decile breakdown used here: relative rate in
# decile 1 and decile 10, straight line between. The demo's own modelling choice.
ASSUMED_GRADIENT_STEEP = (2.0, 0.5)  # unemployment, debt
ASSUMED_GRADIENT_MILD = (1.3, 0.8)  # loneliness, osteoarthritis

# --- Frailty -----------------------------------------------------------------------------------

# eFI categories among people aged 65+ in the internal validation cohort: fit 50%, mild 35%,
# moderate 12%, severe 3%. For comparison only: the demo draws each deficit on its own and does
# not steer the categories towards these shares (docs/demo-neighbourhood.md reports both).
# Source: Clegg A et al., "Development and validation of an electronic frailty index using
# routine primary care electronic health record data", Age and Ageing 45(3):353-360, 2016.
EFI_CATEGORY_SHARES_65_PLUS: dict[str, float] = {
    "fit": 0.50,
    "mild": 0.35,
    "moderate": 0.12,
    "severe": 0.03,
}
EFI_DEFICIT_COUNT = 36
# Deficit counts that fall in each category (score = deficits / 36; fit <= 0.12 < mild <= 0.24
# < moderate <= 0.36 < severe): fit 0-4, mild 5-8, moderate 9-12, severe 13+.
EFI_COUNT_RANGES: dict[str, tuple[int, int]] = {
    "fit": (0, 4),
    "mild": (5, 8),
    "moderate": (9, 12),
    "severe": (13, 18),
}
POLYPHARMACY_MEDICINES = 5

# --- Contacts ------------------------------------------------------------------------------------

# Mean GP consultations per person-year in England: 5.2 (2013/14). Source: Hobbs FDR et al.,
# "Clinical workload in UK primary care: a retrospective analysis of 100 million consultations
# in England, 2007-14", The Lancet 387:2323-2330, 2016. The demo records a sample of about one
# in four of these so the timeline stays readable and the row count modest.
GP_CONSULTATIONS_PER_YEAR = 5.2
GP_CONTACTS_RECORDED_FRACTION = 0.25
