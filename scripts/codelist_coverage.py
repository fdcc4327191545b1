"""How many coded conditions in a folder of FHIR R4 Bundles two sets of codelists recognise.

    uv run --frozen python -m scripts.codelist_coverage BUNDLES OLD_DIR [NEW_DIR]

BUNDLES holds gzipped (or plain) FHIR Bundles, such as the Synthea sample records a maintainer
downloads; OLD_DIR and NEW_DIR hold codelist CSVs (NEW_DIR defaults to oneroof/codelists/data).
An earlier release's lists can be taken from git, e.g.
`git archive REV oneroof/codelists/data | tar -x -C /tmp/old`.

For each set of lists it prints how many distinct SNOMED CT Condition codes, and how many
Condition resources (one per person and condition episode), fall in any eFI deficit list or any
long-term condition list of the current rule set. It prints counts only.
"""

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

from oneroof.analytics.codelists import read_codelists
from oneroof.analytics.rules import load_ruleset

SNOMED = "http://snomed.info/sct"
DATA_DIR = Path(__file__).resolve().parents[1] / "oneroof" / "codelists" / "data"


def condition_codes(bundles: Path) -> tuple[int, Counter]:
    """The number of people and a count of Condition resources by SNOMED CT code."""
    people, codes = 0, Counter()
    for path in sorted(bundles.glob("*.json*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            resources = [entry["resource"] for entry in json.load(handle).get("entry", [])]
        people += any(resource["resourceType"] == "Patient" for resource in resources)
        for resource in resources:
            if resource["resourceType"] != "Condition":
                continue
            coding = resource.get("code", {}).get("coding", [])
            snomed = {c["code"] for c in coding if c.get("system") == SNOMED}
            codes.update(snomed)
    return people, codes


def recognised(codes: Counter, lists: list[frozenset[str]]) -> tuple[int, int]:
    known = frozenset().union(*lists)
    matched = [code for code in codes if code in known]
    return len(matched), sum(codes[code] for code in matched)


def main(bundles: Path, old: Path, new: Path) -> None:
    rules = load_ruleset()
    people, codes = condition_codes(bundles)
    print(f"{people} people, {len(codes)} distinct Condition codes, {codes.total()} Conditions")
    print("| lists | eFI: codes | eFI: conditions | LTC: codes | LTC: conditions |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, directory in (("old", old), ("new", new)):
        codelists = read_codelists(directory)
        efi = recognised(codes, [codelists[d.codelist].codes for d in rules.coded_deficits])
        ltc = recognised(codes, [codelists[c.codelist].codes for c in rules.conditions])
        print(f"| {label} | {efi[0]} | {efi[1]} | {ltc[0]} | {ltc[1]} |")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(
        Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) == 4 else DATA_DIR
    )
