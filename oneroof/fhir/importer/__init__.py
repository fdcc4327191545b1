"""Importing FHIR Bundles (transaction or collection) into OneRoof."""

from .files import bundle_paths, read_bundles
from .mapping import Options
from .report import BundleReport
from .writer import Settings, import_bundle

__all__ = ["BundleReport", "Options", "Settings", "bundle_paths", "import_bundle", "read_bundles"]
