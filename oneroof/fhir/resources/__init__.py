"""The resource types the API serves: one registry entry each (see registry.py), grouped by the
part of the record they come from. Importing this package registers them all.

Resources that rest on apps still being built (HealthcareService, ServiceRequest, Schedule,
Slot, Appointment, MeasureReport) are added the same way when those apps land: a mapper and a
`register(ResourceType(...))` in a module here.
"""

from . import care, directory, people  # noqa: F401  (each registers its resource types)
