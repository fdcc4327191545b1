"""A SNOMED CT release loaded from RF2, and codelists defined by its hierarchy."""

from .definitions import (
    Definition,
    DefinitionError,
    Expansion,
    expand,
    read_definition,
    read_definitions,
    write_expansions,
)
from .load import load_release, loaded_release
from .rf2 import RF2Error

__all__ = [
    "Definition",
    "DefinitionError",
    "Expansion",
    "RF2Error",
    "expand",
    "load_release",
    "loaded_release",
    "read_definition",
    "read_definitions",
    "write_expansions",
]
