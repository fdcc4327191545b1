"""What binding a client to an organisation, and auditing the people a total counts, cost: the
same searches by a neighbourhood system and by a GP practice's system, through a real gunicorn
server on the demo neighbourhood, with a directory search (about no one person, so neither
bound nor audited) as the baseline; /metadata has no Server-Timing, as it needs no token.

    uv run python benchmarks/bench_fhir_bound.py [--residents 30000] [--requests 100]

The practice's system sees only the people its professionals have a relationship with (the
record pages' rule, one subquery per professional); every search also finds the people its
total counts, to audit them.
"""

import argparse
import tempfile
from pathlib import Path

from server import api_client, demo_env, fhir_client, gunicorn, measure, summary

PRACTICE = "A89971"  # the demo's Riverside Medical Practice


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="oneroof-bench-") as var_dir:
        env = demo_env(Path(var_dir), args.residents)
        everyone_keys = api_client(env)
        practice_keys = api_client(env, "--organisation", PRACTICE)
        with gunicorn(env, workers=1) as base:
            practice = fhir_client(base, practice_keys)
            cared_for = practice.get("/Patient", params={"_count": "1"}).json()
            patient = cared_for["entry"][0]["resource"]["id"]
            print(
                f"{args.residents:,} residents; the practice's system sees "
                f"{cared_for['total']:,} of them; {args.requests} requests each (server time)"
            )
            cases = {
                "search Patient?_count=20": ("/Patient", {"_count": "20"}),
                "search Patient?_count=0": ("/Patient", {"_count": "0"}),
                "search Condition?patient&_count=0": (
                    "/Condition",
                    {"patient": patient, "_count": "0"},
                ),
                "read Patient/{id}": (f"/Patient/{patient}", None),
            }
            figures = {}
            for name, (path, params) in cases.items():
                for who, keys in (("neighbourhood", everyone_keys), ("practice", practice_keys)):
                    client = fhir_client(base, keys)  # a new token each: they last 5 minutes
                    figures[f"{name} ({who})"] = measure(client, path, args.requests, params)
            figures["baseline: Organization?_count=20"] = measure(
                fhir_client(base, everyone_keys), "/Organization", args.requests, {"_count": "20"}
            )

    base_median, _ = summary(figures["baseline: Organization?_count=20"])
    for name, times in figures.items():
        median, p95 = summary(times)
        print(
            f"  {name:48} median {median:7.1f} ms   p95 {p95:7.1f} ms"
            f"  ({median / base_median:.1f}x baseline)"
        )


if __name__ == "__main__":
    main()
