"""Settings: production refuses to start without a real secret key, and passes Django's deployment checks.

Each test starts a fresh Python process, because settings are read once, at import.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables that would leak this machine's configuration (e.g. CI's PostgreSQL) into the child process.
_SCRUBBED = {
    "DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "INNOVATORIUM_ENV", "DJANGO_SETTINGS_MODULE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "REQUIRE_STAFF_MFA", "INNOVATORIUM_VAR_DIR",
}


def _env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED and not k.startswith("PYTEST")}
    env.update(
        INNOVATORIUM_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONPATH=str(BASE_DIR),
    )
    env.update(overrides)
    return env


def _production(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return _env(
        tmp_path, INNOVATORIUM_ENV="production", SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="innovatorium.example.org,testserver", **overrides,
    )


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def _python(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - a fixed snippet from this file
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def test_tests_run_in_development_mode_without_hsts():
    # HSTS on a development server would pin the browser to https://127.0.0.1 for a year.
    assert settings.PRODUCTION is False
    assert settings.SECURE_HSTS_SECONDS == 0


def test_production_without_a_secret_key_exits_with_a_plain_message(tmp_path):
    env = _env(tmp_path, INNOVATORIUM_ENV="production", ALLOWED_HOSTS="innovatorium.example.org")

    result = _manage(env, "check")

    assert result.returncode != 0
    assert "Innovatorium cannot start: Production mode needs a real secret key" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("short-key", id="too-short"),
        pytest.param("insecure-development-key-never-use-in-production", id="the-development-key"),
        pytest.param("django-insecure-" + "x" * 60, id="a-startproject-key"),
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    env = _env(tmp_path, INNOVATORIUM_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="innovatorium.example.org")

    result = _manage(env, "migrate", "--check")

    assert result.returncode != 0
    assert "needs a real secret key" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # it stopped before touching the database


def test_an_unknown_environment_name_is_refused_with_a_plain_message(tmp_path):
    result = _manage(_env(tmp_path, INNOVATORIUM_ENV="staging"), "check")

    assert result.returncode != 0
    assert "INNOVATORIUM_ENV='staging' is not known" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_yes_no_setting_that_is_neither_is_refused_with_a_plain_message(tmp_path):
    result = _manage(_env(tmp_path, DEBUG="perhaps"), "check")

    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a yes/no value" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_deployment_checks_pass_with_production_settings(tmp_path):
    # --fail-level WARNING turns every deployment warning into a failure, so "no issues" means none at all.
    result = _manage(_production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_the_deployment_checks_catch_debug_left_on_in_production(tmp_path):
    # The check above is only worth something if it can fail.
    result = _manage(_production(tmp_path, DEBUG="1"), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


PRODUCTION_PROBE = """
import json, os
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
secure = client.get("/healthz", secure=True, headers={"host": "innovatorium.example.org"})
plain = client.get("/healthz", headers={"host": "innovatorium.example.org"})
print(json.dumps({
    "secure": {"status": secure.status_code, "headers": dict(secure.headers)},
    "plain": {"status": plain.status_code, "location": plain.headers.get("Location")},
    "settings": {
        "DEBUG": settings.DEBUG,
        "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
        "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
        "REQUIRE_STAFF_MFA": settings.INNOVATORIUM_REQUIRE_STAFF_MFA,
        "CACHE": settings.CACHES["default"]["BACKEND"],
        "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
    },
}))
"""


@pytest.fixture(scope="module")
def production_probe(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    result = _python(_production(tmp_path), PRODUCTION_PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_with_subdomains_and_preload(production_probe):
    response = production_probe["secure"]
    assert response["status"] == 200
    assert response["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_keeps_the_other_security_headers(production_probe):
    headers = production_probe["secure"]["headers"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Server"] == "Innovatorium"


def test_production_redirects_plain_http_to_https(production_probe):
    assert production_probe["plain"]["status"] == 301
    assert production_probe["plain"]["location"] == "https://innovatorium.example.org/healthz"


def test_production_turns_debug_off_and_secures_cookies_and_staff_sign_in(production_probe):
    assert production_probe["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "REQUIRE_STAFF_MFA": True,
        "CACHE": "innovatorium.core.dbcache.DatabaseCache",  # Django's, with a one-statement set
        "STATICFILES": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }


CACHE_PROBE = """
import os
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.core.cache import cache
from django.db import connection
cache.set("probe", "answered", 30)
print("innovatorium_cache" in connection.introspection.table_names(), cache.get("probe"))
"""


def test_migrate_creates_the_production_cache_table_that_sign_in_rate_limits_need(tmp_path):
    env = _production(tmp_path)

    # Migrating one small app is enough: `migrate` runs the post-migrate hooks of every app whatever it migrates.
    migrated = _manage(env, "migrate", "contenttypes", "--noinput", "-v0")
    probe = _python(env, CACHE_PROBE)

    assert migrated.returncode == 0, migrated.stderr
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == ["True", "answered"]
