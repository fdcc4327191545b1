"""The chance that a resident has a condition or need, by age, sex and IMD decile.

P(condition) = level[decile] x age_profile[age band] x sex_factor x z, where z is the person's
own morbidity (mean 1, shared by all their conditions, so that conditions cluster in the same
people as they do in life) and the level is calibrated so that the neighbourhood reproduces the
published figure:

- for a QOF register, the recorded prevalence of each IMD decile (figures.QOF_PREVALENCE_BY_
  DECILE) after taking out that decile's age mix (figures.DECILE_AGE_MIX): deprived areas are
  younger, so at a given age the gradient is steeper than the crude figures show. Each of the
  demo's LSOAs has its own published age structure (population.py), so its crude prevalence by
  decile follows its own LSOAs' age mix, as the published crude figures follow England's.
- for other figures, the national prevalence with a deprivation gradient (published where the
  figure says so, else the demo's stated assumption).

The age profiles and sex ratios are shapes, not published figures: the demo's own modelling,
chosen to look like the age pattern of each condition; only the level is calibrated.
"""

from dataclasses import dataclass

import numpy as np

from . import figures

# Lower bounds of the age bands the profiles are given in.
PROFILE_BANDS = np.array([0, 10, 18, 30, 40, 50, 60, 70, 80, 90])
_AGES = np.arange(figures.OLDEST_AGE)


@dataclass(frozen=True)
class Model:
    key: str
    profile: tuple[float, ...]  # relative prevalence in each PROFILE_BANDS band
    male_ratio: float = 1.0  # prevalence in men / prevalence in women at the same age
    register: str = ""  # QOF register giving the level by decile
    national: float = 0.0  # or: a national prevalence among people aged min_age..max_age
    gradient: tuple[float, ...] | tuple[float, float] = (1.0, 1.0)  # relative rate, decile 1..10
    min_age: int = 0
    max_age: int = figures.OLDEST_AGE


_GRADIENT_STEEP = figures.ASSUMED_GRADIENT_STEEP
_GRADIENT_MILD = figures.ASSUMED_GRADIENT_MILD
_SMOKING = tuple(v / figures.SMOKING_PREVALENCE_15_PLUS / 100 for v in figures.SMOKING_BY_DECILE)

MODELS: tuple[Model, ...] = (
    Model("hypertension", (0, 0.001, 0.01, 0.03, 0.08, 0.18, 0.32, 0.48, 0.58, 0.58), 1.1, "HYP"),
    Model("diabetes", (0, 0.002, 0.005, 0.02, 0.05, 0.10, 0.15, 0.19, 0.18, 0.14), 1.3, "DM"),
    Model("asthma", (0.05, 0.08, 0.07, 0.06, 0.06, 0.06, 0.07, 0.07, 0.06, 0.05), 0.8, "AST"),
    Model("copd", (0, 0, 0.0005, 0.002, 0.008, 0.025, 0.05, 0.08, 0.09, 0.08), 1.1, "COPD"),
    Model("chd", (0, 0, 0.0005, 0.002, 0.01, 0.03, 0.07, 0.12, 0.17, 0.18), 1.8, "CHD"),
    Model(
        "heart_failure", (0, 0, 0.0002, 0.0008, 0.002, 0.005, 0.013, 0.03, 0.06, 0.09), 1.4, "HF"
    ),
    Model("af", (0, 0, 0.0005, 0.001, 0.004, 0.012, 0.035, 0.08, 0.14, 0.17), 1.4, "AF"),
    Model("ckd", (0, 0, 0.001, 0.003, 0.008, 0.02, 0.06, 0.15, 0.30, 0.40), 0.8, "CKD"),
    Model("stroke_tia", (0, 0, 0.001, 0.002, 0.005, 0.013, 0.03, 0.06, 0.10, 0.12), 1.1, "STIA"),
    Model("cancer", (0.001, 0.002, 0.004, 0.01, 0.02, 0.04, 0.07, 0.11, 0.13, 0.13), 1.0, "CAN"),
    Model("pad", (0, 0, 0, 0.0005, 0.002, 0.006, 0.013, 0.022, 0.03, 0.03), 1.4, "PAD"),
    Model("ra", (0, 0.0002, 0.001, 0.003, 0.006, 0.009, 0.013, 0.016, 0.016, 0.013), 0.4, "RA"),
    Model("osteoporosis", (0, 0, 0, 0, 0, 0.002, 0.005, 0.012, 0.025, 0.035), 0.2, "OST"),
    Model(
        "epilepsy", (0.004, 0.006, 0.008, 0.008, 0.008, 0.008, 0.008, 0.009, 0.01, 0.01), 1.1, "EP"
    ),
    Model("dementia", (0, 0, 0, 0, 0.0005, 0.002, 0.008, 0.03, 0.10, 0.25), 0.8, "DEM"),
    Model("depression", (0, 0.01, 0.12, 0.14, 0.14, 0.14, 0.12, 0.11, 0.11, 0.11), 0.55, "DEP"),
    Model("smi", (0, 0.001, 0.006, 0.01, 0.012, 0.013, 0.012, 0.01, 0.009, 0.008), 1.0, "MH"),
    Model("ld", (0.003, 0.006, 0.007, 0.006, 0.005, 0.005, 0.004, 0.003, 0.002, 0.001), 1.5, "LD"),
    Model(
        "palliative",
        (0, 0.0002, 0.0003, 0.0006, 0.001, 0.003, 0.006, 0.012, 0.025, 0.04),
        1.0,
        "PC",
    ),
    Model("obesity", (0, 0, 0.06, 0.09, 0.12, 0.14, 0.15, 0.13, 0.09, 0.05), 0.9, "OB"),
    Model(
        "anxiety",
        (0, 0.03, 0.07, 0.07, 0.07, 0.07, 0.05, 0.04, 0.03, 0.03),
        0.6,
        national=figures.ANXIETY_PREVALENCE_16_PLUS,
        gradient=_GRADIENT_MILD,
        min_age=16,
    ),
    Model(
        "knee_oa",
        (0, 0, 0, 0, 0.06, 0.12, 0.20, 0.28, 0.32, 0.32),
        0.7,
        national=figures.KNEE_OA_PREVALENCE_45_PLUS,
        gradient=_GRADIENT_MILD,
        min_age=45,
    ),
    Model(
        "hip_oa",
        (0, 0, 0, 0, 0.06, 0.12, 0.20, 0.28, 0.32, 0.32),
        0.7,
        national=figures.HIP_OA_PREVALENCE_45_PLUS,
        gradient=_GRADIENT_MILD,
        min_age=45,
    ),
    Model(
        "smoking",
        (0, 0.05, 0.2, 0.2, 0.18, 0.17, 0.13, 0.08, 0.05, 0.03),
        1.2,
        national=figures.SMOKING_PREVALENCE_15_PLUS,
        gradient=_SMOKING,
        min_age=15,
    ),
    Model(
        "unemployed",
        (0, 0.05, 0.07, 0.04, 0.04, 0.04, 0.02, 0, 0, 0),
        1.2,
        national=figures.UNEMPLOYMENT_RATE_16_64,
        gradient=_GRADIENT_STEEP,
        min_age=16,
        max_age=65,
    ),
    Model(
        "debt",
        (0, 0, 0.2, 0.2, 0.18, 0.15, 0.1, 0.05, 0.04, 0.04),
        1.0,
        national=figures.OVER_INDEBTED_PREVALENCE_18_PLUS,
        gradient=_GRADIENT_STEEP,
        min_age=18,
    ),
    Model(
        "isolation",
        (0, 0.06, 0.09, 0.06, 0.05, 0.05, 0.05, 0.06, 0.09, 0.12),
        0.9,
        national=figures.LONELY_PREVALENCE_16_PLUS,
        gradient=_GRADIENT_MILD,
        min_age=16,
    ),
)
MODEL_BY_KEY = {m.key: m for m in MODELS}


def england_age_distribution() -> np.ndarray:
    """Share of England's population at each single year of age 0..100 (Census 2021 bands)."""
    dist = np.zeros(figures.OLDEST_AGE)
    for lower, share in figures.AGE_BAND_SHARES:
        if lower < 90:
            dist[lower : lower + 5] = share / 5
        else:
            # Fewer people at each year past 90: weights 11, 10, ... 1 over 90..100.
            weights = np.arange(figures.OLDEST_AGE - 90, 0, -1, dtype=float)
            dist[90:] = share * weights / weights.sum()
    return dist / dist.sum()


def _age_curve(model: Model) -> np.ndarray:
    """The relative prevalence at each single year of age (0 outside the model's ages)."""
    band = np.searchsorted(PROFILE_BANDS, _AGES, side="right") - 1
    curve = np.asarray(model.profile, dtype=float)[band]
    curve[(_AGES < model.min_age) | (_AGES >= model.max_age)] = 0.0
    return curve


def _decile_gradient(model: Model) -> np.ndarray:
    if len(model.gradient) == 10:
        return np.asarray(model.gradient, dtype=float)
    first, last = model.gradient
    return np.linspace(first, last, 10)


def _levels(model: Model, dist: np.ndarray) -> np.ndarray:
    """The level for each decile that makes the neighbourhood match the published figure."""
    curve = _age_curve(model)
    if model.register:
        min_age, percentages = figures.QOF_PREVALENCE_BY_DECILE[model.register]
        in_denominator = _AGES >= min_age
        broad = ((_AGES <= 15), (_AGES >= 16) & (_AGES <= 59), (_AGES >= 60))
        levels = []
        for decile in range(10):
            mix = figures.DECILE_AGE_MIX[decile]
            cases = people = 0.0
            for share, ages in zip(mix, broad, strict=True):
                within = dist * ages
                within = within / within.sum()
                cases += share * (within * curve * in_denominator).sum()
                people += share * (within * in_denominator).sum()
            levels.append(percentages[decile] / 100 / (cases / people))
        return np.asarray(levels)
    in_range = (_AGES >= model.min_age) & (_AGES < model.max_age)
    mean_curve = (dist * curve)[in_range].sum() / dist[in_range].sum()
    gradient = _decile_gradient(model)
    return model.national * gradient / (gradient.mean() * mean_curve)


class PrevalenceModel:
    """Vectorised chances of each condition for arrays of residents."""

    def __init__(self) -> None:
        dist = england_age_distribution()
        self.curves = {m.key: _age_curve(m) for m in MODELS}
        self.levels = {m.key: _levels(m, dist) for m in MODELS}

    def probability(
        self, key: str, ages: np.ndarray, deciles: np.ndarray, male: np.ndarray, z: np.ndarray
    ) -> np.ndarray:
        """P(has it) for each resident; ages 0..100, deciles 1..10, male bool, z morbidity."""
        model = MODEL_BY_KEY[key]
        ratio = model.male_ratio
        sex = np.where(male, 2 * ratio / (1 + ratio), 2 / (1 + ratio))
        level = self.levels[key][deciles - 1]
        curve = self.curves[key][np.minimum(ages, figures.OLDEST_AGE - 1)]
        return np.clip(level * curve * sex * z, 0.0, 0.95)
