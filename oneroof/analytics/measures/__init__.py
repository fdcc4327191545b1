"""Measures, free of Django: definitions (what each measure asks), the Ibis expressions and the
reference engine that compute them, the roll-up into breakdowns, confidence intervals, and
disclosure control for what is shown outside the team.

    from oneroof.analytics.measures import MEASURES, Period, run_measures, publish
"""

from .compute import Sources, run_measures, run_reference_measures
from .definitions import (
    BREAKDOWNS,
    BY_KEY,
    DEFINITIONS_VERSION,
    EQUITY,
    MEASURES,
    TOPICS,
    Kind,
    Measure,
    measure,
)
from .disclosure import PublishedCell, PublishedResult, protect, publish
from .periods import Period, last_complete_month
from .results import NO_DATA, OK, Cell, Gap, MeasureResult, deprivation_gap, interval, value

__all__ = [
    "BREAKDOWNS",
    "BY_KEY",
    "DEFINITIONS_VERSION",
    "EQUITY",
    "MEASURES",
    "NO_DATA",
    "OK",
    "TOPICS",
    "Cell",
    "Gap",
    "Kind",
    "Measure",
    "MeasureResult",
    "Period",
    "PublishedCell",
    "PublishedResult",
    "Sources",
    "deprivation_gap",
    "interval",
    "last_complete_month",
    "measure",
    "protect",
    "publish",
    "run_measures",
    "run_reference_measures",
    "value",
]
