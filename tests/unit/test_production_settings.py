"""Production settings refuse what is safe only on a laptop: the console email backend (it
writes recipients into the server log), Server-Timing, and a short HSTS. Each case imports the
settings in a fresh interpreter with the environment production would have."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).absolute().parents[2]
PRODUCTION = {"ONEROOF_ENV": "production", "SECRET_KEY": "a-real-secret-" + "x" * 40}
READ = (
    "import json, oneroof.config.settings as s; print(json.dumps({k: getattr(s, k, None) for k "
    "in ('EMAIL_BACKEND', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'PERMISSIONS_POLICY', 'SERVER_TIMING', 'SESSION_EXPIRE_AT_BROWSER_CLOSE')}))"
)


def settings_with(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "EMAIL_BACKEND")}
    clean.pop("DATABASE_URL", None)
    clean["ONEROOF_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_defaults_to_smtp_email_hsts_and_no_server_timing(tmp_path):
    result = settings_with(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert "camera=()" in values["PERMISSIONS_POLICY"]
    assert values["SERVER_TIMING"] is False
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            "console email backend",
        ),
        ({"ONEROOF_SERVER_TIMING": "1"}, "no Server-Timing"),
        ({"SECURE_HSTS_SECONDS": "3600"}, "HSTS for a year"),
    ],
)
def test_production_refuses_to_start(tmp_path, env, message):
    result = settings_with(tmp_path, **PRODUCTION, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_local_keeps_the_console_email_backend(tmp_path):
    result = settings_with(tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["EMAIL_BACKEND"].endswith("console.EmailBackend")
