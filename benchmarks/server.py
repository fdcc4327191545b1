"""Shared by the benchmarks: a throwaway database and a real gunicorn server on 127.0.0.1."""

import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = 2):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oneroof.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(httpx.TransportError):
                httpx.get(f"{base}/sign-in/", timeout=1)
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def signed_in_client(base: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    page = client.get("/sign-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/sign-in/",
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
        },
        headers={"Referer": f"{base}/sign-in/"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in as {username} failed: {response.status_code}")
    return client


def server_ms(response: httpx.Response) -> float:
    return float(re.search(r"dur=([\d.]+)", response.headers["Server-Timing"]).group(1))


def measure(client: httpx.Client, path: str, requests: int, params=None) -> list[float]:
    """Server times (ms) of `requests` GETs of `path`, after one to warm the worker's caches."""
    client.get(path, params=params).raise_for_status()
    times = []
    for _ in range(requests):
        response = client.get(path, params=params)
        response.raise_for_status()
        times.append(server_ms(response))
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 0.95)


def env_for(var_dir: Path) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["ONEROOF_SERVER_TIMING"] = "1"  # the figures are the server's own times, for staff
    env["ONEROOF_VAR_DIR"] = str(var_dir)
    return env


def demo_env(var_dir: Path, residents: int) -> dict:
    """A throwaway SQLite database in `var_dir` holding the demo neighbourhood, ready to serve."""
    env = env_for(var_dir)
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    manage("load_demo", "--residents", str(residents), env=env)
    return env


def api_client(env: dict, *extra: str) -> tuple[str, str]:
    """A new API client with `system/*.read` (and `extra` options of create_api_client): its id
    and secret."""
    output = subprocess.run(
        [sys.executable, "manage.py", "create_api_client", "Bench", "--scope", "system/*.read"]
        + list(extra),
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return (
        re.search(r"client_id:\s+(\S+)", output).group(1),
        re.search(r"client_secret:\s+(\S+)", output).group(1),
    )


def fhir_client(base: str, credentials: tuple[str, str]) -> httpx.Client:
    """An httpx client for the FHIR API, with a token for these client credentials."""
    token = httpx.post(
        f"{base}/fhir/R4/auth/token", data={"grant_type": "client_credentials"}, auth=credentials
    ).json()["access_token"]
    return httpx.Client(
        base_url=f"{base}/fhir/R4", headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
