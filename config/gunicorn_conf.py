"""Gunicorn settings for `make serve` and the systemd unit in docs/deployment.md (read from the environment).

Web processes are stateless (sessions, cache and task queue live in PostgreSQL), so run as many as the machine
has cores for, on as many machines as you like, behind one reverse proxy and one PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))  # gthread: a slow client never blocks a whole worker
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a request stuck this long is killed and logged
graceful_timeout = 20
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))  # seconds an idle keep-alive connection is held
preload_app = True  # import Django once in the master, then fork (faster start, shared memory)
# Recycle workers now and then, so a slow leak can never take the site down; rarely, since a page from the page
# cache costs under a millisecond: 100,000 requests were a minute and a half of the load bench, and each recycle
# (a fresh process compiling its templates under load) showed in its p95.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")  # the reverse proxy's address
# Several gunicorns may share a machine (and a home directory): no shared control socket (systemd or honcho
# sends the signals instead).
control_socket_disable = True
