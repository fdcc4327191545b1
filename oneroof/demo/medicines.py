"""Medicines (dm+d) and which conditions they go with.

Each code is a dm+d concept named as its VMP ("Amlodipine 5mg tablets"), taken from the
Greater Manchester SDE's published medication code sets (docs/codelists.md).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Medicine:
    code: str
    display: str
    dosage: str


M = Medicine
MEDICINES: dict[str, Medicine] = {
    "amlodipine": M("39732011000001102", "Amlodipine 5mg tablets", "One tablet once a day"),
    "ramipril": M("408051007", "Ramipril 5mg tablets", "One tablet once a day"),
    "atorvastatin": M("39733011000001106", "Atorvastatin 20mg tablets", "One tablet at night"),
    "metformin": M("325278007", "Metformin 500mg tablets", "One tablet twice a day with food"),
    "gliclazide": M("325242002", "Gliclazide 80mg tablets", "One tablet twice a day with food"),
    "aspirin": M("319773006", "Aspirin 75mg dispersible tablets", "One tablet once a day"),
    "clopidogrel": M("319799004", "Clopidogrel 75mg tablets", "One tablet once a day"),
    "bisoprolol": M("318590006", "Bisoprolol 5mg tablets", "One tablet once a day"),
    "furosemide": M("42294811000001108", "Furosemide 40mg tablets", "One tablet each morning"),
    "warfarin": M(
        "42217511000001108", "Warfarin 1mg tablets", "As directed by the anticoagulation clinic"
    ),
    "salbutamol": M(
        "39113611000001102",
        "Salbutamol 100micrograms/dose inhaler CFC free",
        "Two puffs when needed",
    ),
    "beclometasone": M(
        "42292311000001106", "Beclometasone 100micrograms/dose inhaler", "Two puffs twice a day"
    ),
    "sertraline": M("39704111000001102", "Sertraline 50mg tablets", "One tablet once a day"),
    "citalopram": M("42269411000001100", "Citalopram 20mg tablets", "One tablet once a day"),
    "mirtazapine": M("375193003", "Mirtazapine 15mg tablets", "One tablet at night"),
    "olanzapine": M("321614001", "Olanzapine 10mg tablets", "One tablet at night"),
    "donepezil": M("42035611000001109", "Donepezil 5mg tablets", "One tablet at night"),
    "levothyroxine": M(
        "39698611000001106", "Levothyroxine sodium 50microgram tablets", "One tablet each morning"
    ),
    "alendronic_acid": M(
        "39731311000001108", "Alendronic acid 70mg tablets", "One tablet once a week"
    ),
    "omeprazole": M(
        "42356411000001102", "Omeprazole 20mg gastro-resistant capsules", "One capsule once a day"
    ),
    "co_codamol": M(
        "322341003",
        "Co-codamol 30mg/500mg tablets",
        "One or two tablets up to four times a day when needed",
    ),
}

# Which medicines go with which condition or deficit, each with the chance a person with it
# takes it. Modelled on NICE first-line treatment; the demo's own simplification. "older" is
# everyone aged 65+: a statin for primary prevention (most reach a 10% QRISK) and a PPI.
MEDICINES_FOR: dict[str, tuple[tuple[str, float], ...]] = {
    "hypertension": (("amlodipine", 0.7), ("ramipril", 0.65), ("bisoprolol", 0.2)),
    "diabetes": (
        ("metformin", 0.85),
        ("gliclazide", 0.35),
        ("atorvastatin", 0.75),
        ("ramipril", 0.3),
    ),
    "chd": (
        ("aspirin", 0.75),
        ("clopidogrel", 0.2),
        ("atorvastatin", 0.85),
        ("bisoprolol", 0.5),
        ("ramipril", 0.4),
    ),
    "heart_failure": (("furosemide", 0.8), ("bisoprolol", 0.7), ("ramipril", 0.7)),
    "af": (("warfarin", 0.7), ("bisoprolol", 0.5)),
    "stroke_tia": (("clopidogrel", 0.75), ("atorvastatin", 0.8)),
    "ckd": (("ramipril", 0.5), ("atorvastatin", 0.7)),
    "pad": (("clopidogrel", 0.6), ("atorvastatin", 0.7)),
    "asthma": (("salbutamol", 0.95), ("beclometasone", 0.6)),
    "copd": (("salbutamol", 0.95), ("beclometasone", 0.4)),
    "depression": (("sertraline", 0.35), ("citalopram", 0.25), ("mirtazapine", 0.1)),
    "anxiety": (("sertraline", 0.3),),
    "smi": (("olanzapine", 0.7),),
    "dementia": (("donepezil", 0.5),),
    "knee_oa": (("co_codamol", 0.4),),
    "hip_oa": (("co_codamol", 0.4),),
    "ra": (("co_codamol", 0.2),),
    "osteoporosis": (("alendronic_acid", 0.7),),
    "thyroid": (("levothyroxine", 0.95),),
    "peptic_ulcer": (("omeprazole", 0.8),),
    "older": (("atorvastatin", 0.5), ("omeprazole", 0.25), ("co_codamol", 0.15)),
}
