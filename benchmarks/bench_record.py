"""The whole-person record page through a real gunicorn server, on the default demo.

Prints the median and 95th-percentile server time (Server-Timing) over 200 requests for
Mrs Patel's record, and, measured in the same run on the same server, the same figures for
the "Find a person" page (the same layout and sign-in, no record) as the baseline.

    uv run python benchmarks/bench_record.py [--residents 30000] [--requests 200]
"""

import argparse
import re
import tempfile
from pathlib import Path

from server import demo_env, gunicorn, measure, signed_in_client, summary

MRS_PATEL = "9434765919"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="oneroof-bench-") as var_dir:
        env = demo_env(Path(var_dir), args.residents)
        with gunicorn(env, workers=1) as base:
            client = signed_in_client(base, "nurse", "oneroof-demo")
            found = client.get("/people/find/", params={"nhs_number": MRS_PATEL})
            public_id = re.search(r'href="/people/([0-9a-f-]{36})/"', found.text).group(1)
            record = measure(client, f"/people/{public_id}/", args.requests)
            baseline = measure(client, "/people/find/", args.requests)

    record_median, record_p95 = summary(record)
    base_median, base_p95 = summary(baseline)
    print(f"Record page, {args.residents:,} residents, {args.requests} requests (server time)")
    print(f"  record page   median {record_median:7.1f} ms   p95 {record_p95:7.1f} ms")
    print(f"  baseline page median {base_median:7.1f} ms   p95 {base_p95:7.1f} ms  (find a person)")
    print(
        f"  ratio record/baseline: median {record_median / base_median:.1f}x, "
        f"p95 {record_p95 / base_p95:.1f}x"
    )


if __name__ == "__main__":
    main()
