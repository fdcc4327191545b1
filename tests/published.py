"""The published material a maintainer may download beside the checkout, as `../shared/data`:
codelists, IMD 2019, QOF prevalence by IMD decile, Synthea's FHIR Bundles and HL7's R4 JSON
Schema (docs/architecture.md, "Data the repository does not hold").

Tests find it only through `PUBLISHED`, and skip, saying what is missing, where it is absent.
`ONEROOF_PUBLISHED_DATA` points them elsewhere; pointed at a folder that does not exist, it
checks that the suite stands alone: `ONEROOF_PUBLISHED_DATA=/nonexistent make test`.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = Path(os.environ.get("ONEROOF_PUBLISHED_DATA") or ROOT.parent / "shared" / "data")
