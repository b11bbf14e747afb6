"""Settings for `make bench` (bench/load_bench.py) and tests/operations: the real site as production runs it,
plus one tiny view as the throughput ceiling (config/bench_urls.py), served over plain HTTP on loopback.

Like production: DEBUG off, the database cache shared by every web process, the django-tasks database
backend (a worker process runs the background work). Unlike production: no TLS (so no secure cookies or
HTTPS redirect), and one trusted proxy hop, so a load generator can stand in for many client addresses with
X-Forwarded-For, as a reverse proxy would pass them on.
"""

from __future__ import annotations

from config.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "config.bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
CACHES = {"default": {"BACKEND": "innovatorium.core.dbcache.DatabaseCache", "LOCATION": "innovatorium_cache",
                       "OPTIONS": {"MAX_ENTRIES": 20_000}}}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ALLAUTH_TRUSTED_PROXY_COUNT = 1
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}},
}
