"""The FHIR API and importer: import rate over the shared Synthea bundles, and read and search
latency for Patient and Appointment through a real gunicorn server, with a read of one
Organization as the baseline.

    uv run python benchmarks/bench_fhir.py [--residents 30000] [--requests 200]

A fresh SQLite database gets the demo neighbourhood (so searches run over a realistic number of
people), then `manage.py import_fhir` over ../shared/data/synthea-r4 (158 people, 35,249
resources), timed, twice: the second import finds everything already there and changes nothing.
Latency is the server's own time (Server-Timing, sent only to staff and API clients, so
/metadata, which needs no token, has none); the baseline is GET /Organization/{id} on the same
server in the same run: the token checked, one row of the directory read, no person, no audit.
Appointments are the demo's own (13 months of GP appointments seen, and those booked ahead).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from server import ROOT, api_client, demo_env, fhir_client, gunicorn, measure, summary

SYNTHEA = ROOT.parent / "shared" / "data" / "synthea-r4"
NHS = "https://fhir.nhs.uk/Id/nhs-number"
MRS_PATEL = "9434765919"


def timed_import(env: dict, report: Path) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_fhir",
            str(SYNTHEA),
            "--source",
            "synthea",
            "--report",
            str(report),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, json.loads(report.read_text())


def resources_in(reports: list[dict], outcome: str | None = None) -> int:
    return sum(
        n
        for r in reports
        for outcomes in r["resources"].values()
        for o, n in outcomes.items()
        if outcome is None or o == outcome
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="oneroof-bench-") as var_dir:
        env = demo_env(Path(var_dir), args.residents)
        first_s, first = timed_import(env, Path(var_dir) / "first.json")
        again_s, again = timed_import(env, Path(var_dir) / "again.json")
        credentials = api_client(env)
        with gunicorn(env, workers=1) as base:
            client = fhir_client(base, credentials)
            found = client.get("/Patient", params={"identifier": f"{NHS}|{MRS_PATEL}"}).json()
            patient_id = found["entry"][0]["resource"]["id"]
            appointment = _seen_appointment(client)
            figures = {
                "read Patient/{id}": measure(client, f"/Patient/{patient_id}", args.requests),
                "search Patient?identifier (NHS number)": measure(
                    client, "/Patient", args.requests, {"identifier": f"{NHS}|{MRS_PATEL}"}
                ),
                "search Patient?family&_count=20": measure(
                    client, "/Patient", args.requests, {"family": "Pa", "_count": "20"}
                ),
                "search Observation?patient (imported)": measure(
                    client,
                    "/Observation",
                    args.requests,
                    {"patient": _imported_patient(client), "_count": "20"},
                ),
                "read Appointment/{id}": measure(
                    client, f"/Appointment/{appointment['id']}", args.requests
                ),
                "search Appointment?patient": measure(
                    client, "/Appointment", args.requests, {"patient": appointment["patient"]}
                ),
                "search Appointment?date=<day>&_count=20": measure(
                    client,
                    "/Appointment",
                    args.requests,
                    {"date": appointment["day"], "_count": "20"},
                ),
                "baseline: Organization/{id}": measure(
                    client, f"/Organization/{_organisation(client)}", args.requests
                ),
            }

    total = resources_in(first)
    print(f"FHIR import: {len(first)} Synthea bundles, {total:,} resources")
    print(
        f"  first import   {first_s:6.1f} s  {total / first_s:8,.0f} resources/s  "
        f"({resources_in(first, 'created'):,} created, {resources_in(first, 'skipped'):,} "
        "skipped with a reason)"
    )
    print(
        f"  second import  {again_s:6.1f} s  {total / again_s:8,.0f} resources/s  "
        f"({resources_in(again, 'created') + resources_in(again, 'updated')} created or updated)"
    )
    print(
        f"FHIR API over gunicorn (1 worker), {args.residents:,} demo residents + the people of "
        f"{len(first)} imported bundles, "
        f"{args.requests} requests each (server time)"
    )
    base_median, _ = summary(figures["baseline: Organization/{id}"])
    for name, times in figures.items():
        median, p95 = summary(times)
        ratio = "" if name.startswith("baseline") else f"  ({median / base_median:.1f}x baseline)"
        print(f"  {name:40} median {median:6.1f} ms   p95 {p95:6.1f} ms{ratio}")


def _seen_appointment(client: httpx.Client) -> dict:
    """The demo's first GP appointment seen: its id, its patient's id and its day."""
    bundle = client.get("/Appointment", params={"status": "fulfilled", "_count": "1"}).json()
    resource = bundle["entry"][0]["resource"]
    patient = next(
        p["actor"]["reference"].removeprefix("Patient/")
        for p in resource["participant"]
        if p["actor"]["reference"].startswith("Patient/")
    )
    return {"id": resource["id"], "patient": patient, "day": resource["start"][:10]}


def _organisation(client: httpx.Client) -> str:
    """The id of the directory's first Organization."""
    bundle = client.get("/Organization", params={"_count": "1"}).json()
    return bundle["entry"][0]["resource"]["id"]


def _imported_patient(client: httpx.Client) -> str:
    """An imported Synthea person (their MRN is kept as an identifier)."""
    bundle = client.get(
        "/Patient",
        params={"identifier": "https://github.com/synthetichealth/synthea|", "_count": "1"},
    ).json()
    if bundle.get("entry"):
        return bundle["entry"][0]["resource"]["id"]
    bundle = client.get("/Patient", params={"birthdate": "le1960", "_count": "1"}).json()
    return bundle["entry"][0]["resource"]["id"]


if __name__ == "__main__":
    main()
