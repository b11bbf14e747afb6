"""Helpers shared by bench/load_bench.py and tests/operations: start the real site under gunicorn (and the
django-tasks worker) on loopback in child processes, wait until it is ready, stop or kill it.

Not a bench itself: `make bench` runs every bench/*.py, so running this file only prints how to use it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_SETTINGS = "config.bench_settings"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a bench web process or worker: development mode with the bench settings."""
    env = {key: value for key, value in os.environ.items() if key not in {"INNOVATORIUM_ENV", "DEBUG"}}
    env.update({
        "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS, "PYTHONUNBUFFERED": "1",
        "DB_CONN_MAX_AGE": "60",  # as production: each worker thread keeps its connection
    })
    env.update(extra)
    return env


@dataclass
class Site:
    """A running gunicorn (and optionally a worker) on loopback."""

    port: int
    web: subprocess.Popen
    worker: subprocess.Popen | None = None
    log: Path | None = None
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill_web(self) -> None:
        """kill -9 the gunicorn master and all its workers (its process group), as a crash or OOM would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.web.pid, signal.SIGKILL)
        self.web.wait(timeout=30)

    def web_worker_pids(self) -> set[int]:
        """gunicorn's worker processes: the children of its master, from /proc."""
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # the process ended while we looked
                continue
            if int(fields[1]) == self.web.pid:
                found.add(int(stat.parent.name))
        return found

    def ask_every_web_worker(self, path: str, *, tries: int = 500) -> None:
        """GET `path` (a view that answers with its process id) until every gunicorn worker has answered."""
        waiting = self.web_worker_pids()
        for _ in range(tries):
            if not waiting:
                return
            with urllib.request.urlopen(self.url + path, timeout=30) as response:  # noqa: S310 - loopback
                waiting.discard(int(response.read().decode()))
        raise RuntimeError(f"workers {sorted(waiting)} never answered {path}")

    def kill_worker(self) -> None:
        if self.worker is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(timeout=30)

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in (self.web, self.worker):
            if process is not None:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


def wait_ready(url: str, *, timeout: float = 180.0, process: subprocess.Popen | None = None) -> None:
    """Poll /readyz until it answers 200 (the database answers too), or fail with the reason."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=10) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    raise RuntimeError(f"{url} was not ready after {timeout:.0f} s: {last}")


def start_site(
    database_url: str,
    *,
    workers: int = 2,
    threads: int = 4,
    worker_process: bool = True,
    log: Path | None = None,
    ready_timeout: float = 180.0,
    max_requests: int | None = None,
    keepalive: int | None = None,
) -> Site:
    """Start gunicorn (bench settings) on a free loopback port, and the task worker; return once ready.
    `max_requests` overrides config/gunicorn_conf.py's worker recycling (0: never recycle); `keepalive` its
    keep-alive seconds (0: a connection per request, as behind the reverse proxy of docs/deployment.md)."""
    port = free_port()
    env = site_env(database_url, WEB_CONCURRENCY=str(workers), GUNICORN_THREADS=str(threads),
                   GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_ACCESS_LOG="",
                   **({"GUNICORN_KEEPALIVE": str(keepalive)} if keepalive is not None else {}))
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed once the children have it
    web = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "python:config.gunicorn_conf",
         *(["--max-requests", str(max_requests)] if max_requests is not None else [])],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )
    worker = None
    if worker_process:
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5", "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    if log:
        out.close()  # the children hold their own copies of the descriptor
    site = Site(port=port, web=web, worker=worker, log=log)
    try:
        wait_ready(site.url, timeout=ready_timeout, process=web)
    except BaseException:
        site.stop()
        raise
    return site


@contextlib.contextmanager
def running_site(database_url: str, **kwargs) -> Iterator[Site]:
    site = start_site(database_url, **kwargs)
    try:
        yield site
    finally:
        site.stop()


if __name__ == "__main__":
    print("bench/_server.py holds helpers for bench/load_bench.py and tests/operations; nothing to time here.")
