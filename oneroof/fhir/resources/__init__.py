"""The resource types the API serves: one registry entry each (see registry.py), grouped by the
part of the record they come from. Importing this package registers them all."""

from . import (  # noqa: F401  (each registers its resource types)
    access,
    care,
    directory,
    measures,
    people,
    referrals,
)
