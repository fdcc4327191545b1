"""Open Referral UK: the format voluntary-sector and council directories exchange services in.

`export_directory` and `import_directory` move the whole service directory in and out; the
mapping itself is in `mapping` (pure functions)."""

from .directory import ImportSummary, export_directory, export_service, import_directory
from .mapping import OrukError

__all__ = ["ImportSummary", "OrukError", "export_directory", "export_service", "import_directory"]
