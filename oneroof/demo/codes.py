"""SNOMED CT and dm+d codes the demo records, and the 36 deficits of the electronic Frailty Index.

The codes named here are each condition's and deficit's common concepts, the ones most people
are coded with. Every one is in a published codelist: the Greater Manchester SDE clinical code
sets (gm-sde, conditions/ and patient/, including the efi-* sets that reproduce the original
eFI) or NHS Digital's primary care domain reference sets (QOF clusters). The exceptions, social
needs with no published codelist, are marked. tests/db/test_demo_codes.py checks this against
the published lists when they are present. Beyond these, the generator draws a long tail of
other codes from the repository's complete lists, resolved codes and acute problems in no list
(coding.py, NOISE below).

Medicines are in medicines.py.
"""

from dataclasses import dataclass, field

from .figures import (
    RESOLVED_ASTHMA,
    RESOLVED_CKD,
    RESOLVED_COPD,
    RESOLVED_DEPRESSION,
    RESOLVED_DIABETES,
    RESOLVED_EPILEPSY,
    RESOLVED_HEART_FAILURE,
    RESOLVED_HYPERTENSION,
)


@dataclass(frozen=True)
class Code:
    code: str
    display: str  # SNOMED CT preferred term (UK edition) or dm+d VMP name


@dataclass(frozen=True)
class ConditionSpec:
    """A long-term or mental health condition the generator draws at published prevalence."""

    key: str
    category: str  # NeedCategory value: physical or mental
    codes: tuple[Code, ...]
    weights: tuple[float, ...] = ()  # for choosing between codes; equal if empty
    deficit: str | None = None  # the eFI deficit this condition is, if any
    ltc_group: str | None = None  # conditions in one group count once as a long-term condition
    female_codes: tuple[Code, ...] = field(default=())  # sex-specific alternatives (cancer)
    codelist: str = ""  # the repository's codelist whose long tail the demo also draws from
    resolved: float = 0.0  # share of people ever coded who have a later resolved code


C = Code

CONDITIONS: tuple[ConditionSpec, ...] = (
    ConditionSpec(
        "hypertension",
        "physical",
        (C("59621000", "Essential hypertension"),),
        deficit="hypertension",
        ltc_group="hypertension",
        codelist="ltc-hypertension",
        resolved=RESOLVED_HYPERTENSION,
    ),
    ConditionSpec(
        "diabetes",
        "physical",
        (C("44054006", "Type 2 diabetes mellitus"), C("46635009", "Type 1 diabetes mellitus")),
        weights=(0.92, 0.08),
        deficit="diabetes",
        ltc_group="diabetes",
        codelist="ltc-diabetes",
        resolved=RESOLVED_DIABETES,
    ),
    ConditionSpec(
        "asthma",
        "physical",
        (C("195967001", "Asthma"),),
        deficit="respiratory",
        ltc_group="asthma",
        codelist="ltc-asthma",
        resolved=RESOLVED_ASTHMA,
    ),
    ConditionSpec(
        "copd",
        "physical",
        (C("13645005", "Chronic obstructive lung disease"),),
        deficit="respiratory",
        ltc_group="copd",
        codelist="ltc-copd",
        resolved=RESOLVED_COPD,
    ),
    ConditionSpec(
        "chd",
        "physical",
        (
            C("414545008", "Ischaemic heart disease"),
            C("22298006", "Myocardial infarction"),
            C("194828000", "Angina"),
        ),
        weights=(0.5, 0.25, 0.25),
        deficit="ihd",
        ltc_group="chd",
        codelist="ltc-coronary-heart-disease",
    ),
    ConditionSpec(
        "heart_failure",
        "physical",
        (C("84114007", "Heart failure"),),
        deficit="heart_failure",
        ltc_group="heart_failure",
        codelist="ltc-heart-failure",
        resolved=RESOLVED_HEART_FAILURE,
    ),
    ConditionSpec(
        "af",
        "physical",
        (C("49436004", "Atrial fibrillation"),),
        deficit="af",
        ltc_group="af",
        codelist="ltc-atrial-fibrillation",
    ),
    ConditionSpec(
        "ckd",
        "physical",
        (C("433144002", "Chronic kidney disease stage 3"),),
        deficit="ckd",
        ltc_group="ckd",
        codelist="ltc-chronic-kidney-disease",
        resolved=RESOLVED_CKD,
    ),
    ConditionSpec(
        "stroke_tia",
        "physical",
        (C("230690007", "Cerebrovascular accident"), C("266257000", "Transient ischaemic attack")),
        weights=(0.65, 0.35),
        deficit="cerebrovascular",
        ltc_group="stroke_tia",
        codelist="ltc-stroke-tia",
    ),
    ConditionSpec(
        "cancer",
        "physical",
        (
            C("399068003", "Malignant tumour of prostate"),
            C("363406005", "Malignant neoplasm of colon"),
            C("363358000", "Malignant tumour of lung"),
            C("363346000", "Malignant neoplastic disease"),
        ),
        weights=(0.45, 0.2, 0.12, 0.23),
        ltc_group="cancer",
        female_codes=(
            C("254837009", "Malignant neoplasm of breast"),
            C("363406005", "Malignant neoplasm of colon"),
            C("363358000", "Malignant tumour of lung"),
            C("363346000", "Malignant neoplastic disease"),
        ),
        codelist="ltc-cancer",
    ),
    ConditionSpec(
        "pad",
        "physical",
        (C("400047006", "Peripheral vascular disease"),),
        deficit="pvd",
        ltc_group="pad",
        codelist="ltc-peripheral-arterial-disease",
    ),
    ConditionSpec(
        "ra",
        "physical",
        (C("69896004", "Rheumatoid arthritis"),),
        deficit="arthritis",
        ltc_group="ra",
        codelist="ltc-rheumatoid-arthritis",
    ),
    ConditionSpec(
        "osteoporosis",
        "physical",
        (C("18040001", "Senile osteoporosis"),),
        deficit="osteoporosis",
        ltc_group="osteoporosis",
        female_codes=(C("102447009", "Postmenopausal osteoporosis"),),
        codelist="ltc-osteoporosis",
    ),
    ConditionSpec(
        "knee_oa",
        "physical",
        (C("239873007", "Osteoarthritis of knee"),),
        deficit="arthritis",
        ltc_group="osteoarthritis",
        codelist="ltc-osteoarthritis",
    ),
    ConditionSpec(
        "hip_oa",
        "physical",
        (C("239872002", "Osteoarthritis of hip"),),
        deficit="arthritis",
        ltc_group="osteoarthritis",
        codelist="ltc-osteoarthritis",
    ),
    ConditionSpec(
        "epilepsy",
        "physical",
        (C("84757009", "Epilepsy"),),
        ltc_group="epilepsy",
        codelist="ltc-epilepsy",
        resolved=RESOLVED_EPILEPSY,
    ),
    ConditionSpec(
        "dementia",
        "mental",
        (
            C("52448006", "Dementia"),
            C("26929004", "Alzheimer's disease"),
            C("429998004", "Vascular dementia"),
        ),
        weights=(0.4, 0.4, 0.2),
        deficit="cognitive",
        ltc_group="dementia",
        codelist="dementia",
    ),
    ConditionSpec(
        "depression",
        "mental",
        (C("35489007", "Depressive disorder"),),
        ltc_group="depression",
        codelist="mental-health-depression",
        resolved=RESOLVED_DEPRESSION,
    ),
    ConditionSpec(
        "anxiety",
        "mental",
        (C("21897009", "Generalised anxiety disorder"),),
        ltc_group="anxiety",
        codelist="mental-health-anxiety",
    ),
    ConditionSpec(
        "smi",
        "mental",
        (C("58214004", "Schizophrenia"), C("13746004", "Bipolar disorder")),
        weights=(0.55, 0.45),
        ltc_group="smi",
        codelist="severe-mental-illness",
    ),
    ConditionSpec(
        "ld",
        "mental",
        (C("110359009", "Intellectual disability"),),
        ltc_group="learning_disability",
        codelist="learning-disability",
    ),
)
CONDITION_BY_KEY = {c.key: c for c in CONDITIONS}

# The palliative care register (QOF PC; code from NHS Digital's PALCARE_COD cluster). Recorded
# as a physical Condition so the record shows it; not counted as a long-term condition.
PALLIATIVE = C("526631000000108", "On end of life care register")

# --- Ordinary acute problems: codes in no OneRoof codelist ------------------------------------

# What most GP contacts are about. Case-finding must pass over them; tests/db/test_demo_codes.py
# checks that none is in any of the repository's codelists. The concepts are those Synthea's
# published synthetic records use for acute problems (terms without the semantic tag); the order
# is the demo's own, most common first, drawn with a Zipf weighting as the long tail of a list
# is (coding.py).
NOISE: tuple[Code, ...] = (
    C("444814009", "Viral sinusitis"),
    C("195662009", "Acute viral pharyngitis"),
    C("36971009", "Sinusitis"),
    C("43878008", "Streptococcal sore throat"),
    C("65363002", "Otitis media"),
    C("44465007", "Sprain of ankle"),
    C("284549007", "Laceration of hand"),
    C("70704007", "Sprain of wrist"),
    C("39848009", "Whiplash injury to neck"),
    C("284551006", "Laceration of foot"),
    C("403190006", "First degree burn"),
    C("62106007", "Concussion with no loss of consciousness"),
)

# --- Social needs (category social) ---------------------------------------------------------

# Smoking and obesity codes are in gm-sde (smoking-status-current, bmi). Unemployment, debt and
# social isolation have no published SNOMED codelist (docs/codelists.md); the
# concepts used are the standard SNOMED CT findings, as used by Synthea and US Core.
SOCIAL_NEEDS: dict[str, Code] = {
    "smoking": C("77176002", "Smoker"),
    "obesity": C("162864005", "Body mass index 30+ - obesity"),
    "unemployed": C("73438004", "Unemployed"),
    "debt": C("160932005", "Financial problem"),
    "isolation": C("422650009", "Social isolation"),
}

# --- The 36 deficits of the electronic Frailty Index (Clegg et al. 2016) ----------------------


@dataclass(frozen=True)
class Deficit:
    key: str
    name: str  # as Clegg et al. 2016 name it
    codelist: str  # the gm-sde efi-* code set holding its codes ("" for polypharmacy)
    codes: tuple[Code, ...] = ()  # codes the generator records for it (when not from a condition)
    category: str = "physical"
    weight: float = 0.0  # relative chance of being one of a frail person's extra deficits


EFI_DEFICITS: tuple[Deficit, ...] = (
    Deficit(
        "activity_limitation",
        "Activity limitation",
        "efi-activity-limitation",
        (C("21134002", "Disability"),),
        weight=0.6,
    ),
    Deficit(
        "anaemia",
        "Anaemia and haematinic deficiency",
        "efi-anaemia",
        (C("271737000", "Anaemia"), C("87522002", "Iron deficiency anaemia")),
        weight=0.8,
    ),
    Deficit(
        "arthritis", "Arthritis", "efi-arthritis", (C("396275006", "Osteoarthritis"),), weight=0.8
    ),
    Deficit("af", "Atrial fibrillation", "efi-atrial-fibrillation"),
    Deficit("cerebrovascular", "Cerebrovascular disease", "efi-stroke-tia"),
    Deficit("ckd", "Chronic kidney disease", "efi-ckd"),
    Deficit("diabetes", "Diabetes", "efi-diabetes"),
    Deficit(
        "dizziness",
        "Dizziness",
        "efi-dizziness",
        (C("404640003", "Dizziness"), C("399153001", "Vertigo")),
        weight=0.9,
    ),
    Deficit("dyspnoea", "Dyspnoea", "efi-dyspnoea", (C("267036007", "Dyspnoea"),), weight=1.0),
    Deficit(
        "falls", "Falls", "efi-falls", (C("161898004", "Falls"), C("1912002", "Fall")), weight=1.2
    ),
    Deficit(
        "foot_problems",
        "Foot problems",
        "efi-foot-problems",
        (C("201037000", "Corns and callus"),),
        weight=0.7,
    ),
    Deficit(
        "fragility_fracture",
        "Fragility fracture",
        "efi-fragility-fracture",
        (C("5913000", "Fracture of neck of femur"), C("12676007", "Fracture of radius")),
        weight=0.4,
    ),
    Deficit(
        "hearing",
        "Hearing impairment",
        "efi-hearing-loss",
        (C("15188001", "Hearing loss"), C("49526009", "Presbycusis")),
        weight=1.4,
    ),
    Deficit("heart_failure", "Heart failure", "efi-heart-failure"),
    Deficit(
        "heart_valve",
        "Heart valve disease",
        "efi-heart-valve-disease",
        (C("60573004", "Aortic valve stenosis"), C("48724000", "Mitral valve regurgitation")),
        weight=0.3,
    ),
    Deficit(
        "housebound",
        "Housebound",
        "efi-housebound",
        (C("160689007", "Housebound"),),
        category="social",
        weight=0.25,
    ),
    Deficit("hypertension", "Hypertension", "efi-hypertension"),
    Deficit(
        "hypotension",
        "Hypotension/syncope",
        "efi-hypotension",
        (C("28651003", "Orthostatic hypotension"), C("271594007", "Syncope")),
        weight=0.4,
    ),
    Deficit("ihd", "Ischaemic heart disease", "efi-chd"),
    Deficit(
        "cognitive",
        "Memory and cognitive problems",
        "efi-cognitive-problems",
        (C("386807006", "Memory impairment"),),
        weight=0.5,
    ),
    Deficit(
        "mobility",
        "Mobility and transfer problems",
        "efi-mobility-problems",
        (C("8510008", "Reduced mobility"), C("282145008", "Unable to walk")),
        weight=1.0,
    ),
    # Osteoporosis is the condition, drawn at QOF prevalence (prevalence.py): never an extra.
    Deficit("osteoporosis", "Osteoporosis", "efi-osteoporosis"),
    Deficit(
        "parkinsonism",
        "Parkinsonism and tremor",
        "efi-parkinsons",
        (C("49049000", "Parkinson's disease"), C("26079004", "Tremor")),
        weight=0.2,
    ),
    Deficit(
        "peptic_ulcer",
        "Peptic ulcer",
        "efi-peptic-ulcer",
        (C("13200003", "Peptic ulcer"),),
        weight=0.3,
    ),
    Deficit("pvd", "Peripheral vascular disease", "efi-pvd"),
    Deficit("polypharmacy", "Polypharmacy", ""),
    Deficit(
        "care_requirement",
        "Requirement for care",
        "efi-care-requirement",
        (C("160774006", "Home help attends"), C("161083000", "Help by relatives")),
        category="social",
        weight=0.35,
    ),
    Deficit("respiratory", "Respiratory disease", "efi-respiratory-disease"),
    Deficit(
        "skin_ulcer",
        "Skin ulcer",
        "efi-skin-ulcer",
        (C("95344007", "Ulcer of lower extremity"), C("399912005", "Pressure ulcer")),
        weight=0.3,
    ),
    Deficit(
        "sleep",
        "Sleep disturbance",
        "efi-sleep-disturbance",
        (C("193462001", "Insomnia"),),
        weight=0.9,
    ),
    Deficit(
        "social_vulnerability",
        "Social vulnerability",
        "efi-social-vulnerability",
        (C("267076002", "Feeling lonely"),),
        category="social",
        weight=0.6,
    ),
    Deficit(
        "thyroid",
        "Thyroid disease",
        "efi-thyroid-disorders",
        (C("40930008", "Hypothyroidism"),),
        weight=0.7,
    ),
    Deficit(
        "urinary_incontinence",
        "Urinary incontinence",
        "efi-urinary-incontinence",
        (C("165232002", "Urinary incontinence"),),
        weight=1.0,
    ),
    Deficit(
        "urinary_system",
        "Urinary system disease",
        "efi-urinary-system-disease",
        (C("11441004", "Prostatism"), C("68566005", "Urinary tract infectious disease")),
        weight=0.7,
    ),
    Deficit(
        "visual",
        "Visual impairment",
        "efi-vision-problems",
        (C("193570009", "Cataract"), C("267718000", "Age-related macular degeneration")),
        weight=1.2,
    ),
    Deficit(
        "weight_loss",
        "Weight loss and anorexia",
        "efi-weight-loss",
        (C("89362005", "Weight loss"), C("79890006", "Loss of appetite")),
        weight=0.4,
    ),
)
DEFICIT_BY_KEY = {d.key: d for d in EFI_DEFICITS}
LIVES_ALONE = C("105529008", "Lives alone")  # social vulnerability, for those who live alone


def deficit_for_code(code: str) -> str | None:
    """The eFI deficit a common concept of this module counts as, or None (the long tail drawn
    from the complete lists is counted by case-finding from those lists)."""
    return _DEFICIT_FOR_CODE.get(code)


_DEFICIT_FOR_CODE: dict[str, str] = {}
for _spec in CONDITIONS:
    if _spec.deficit:
        for _code in _spec.codes + _spec.female_codes:
            _DEFICIT_FOR_CODE[_code.code] = _spec.deficit
for _deficit in EFI_DEFICITS:
    for _code in _deficit.codes:
        _DEFICIT_FOR_CODE[_code.code] = _deficit.key
_DEFICIT_FOR_CODE[LIVES_ALONE.code] = "social_vulnerability"
