"""Browser tests: Playwright for Python drives Debian's Chromium against pytest-django's live server.

Every page a test visits must be scanned with `axe_check(page)` (WCAG 2.2 AA); the `page` fixtures fail a
test that navigated to a page it never scanned, or whose pages logged a JavaScript or CSP error.

Playwright's sync API keeps an asyncio loop "running" on the main thread while it is started. Two things follow:
- Django refuses ORM calls from a thread with a running loop. The `browser` fixture sets
  DJANGO_ALLOW_ASYNC_UNSAFE only while Chromium is up (one module at a time) and restores it afterwards, so the
  rest of the suite keeps Django's safety check.
- Django keeps database connections in an asgiref `Local`, which in a thread with a running loop holds a second,
  empty set. The test would then talk to the database through a new connection that pytest-django's setup
  (transactions, `serialized_rollback`) never saw. The fixture hands the loop's side the thread's own
  connections, and takes them back before the loop stops.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, TIMEOUT_MS, PageLog, forget, watch


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (make browser). We never download one.")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Taken before the loop starts, while `connections` still answers from the thread's own storage.
    thread_connections = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, connection in thread_connections.items():
                connections[alias] = connection
            try:
                chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    yield chromium
                finally:
                    chromium.close()
            finally:
                for alias in thread_connections:
                    del connections[alias]
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    # Keep each phase's report on the test, so fixtures can tell whether the test itself failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def open_page(request: pytest.FixtureRequest, browser: Browser, live_server: Any) -> Iterator[Callable[..., Page]]:
    """Open a fresh browser context (its own cookies) at a viewport: `open_page(viewport=PHONE)`."""
    opened: list[tuple[Page, PageLog]] = []

    def open_(viewport: dict[str, int] | None = None) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, locale="en-GB", timezone_id="Europe/London"
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        opened.append((page, watch(page)))
        return page

    yield open_

    # A test that failed part-way left its last pages unscanned: say so only about tests that passed.
    call_report = getattr(request.node, "report_call", None)
    passed = call_report is not None and call_report.passed
    problems: list[str] = []
    for page, log in opened:
        unscanned = [visit.url for visit in log.visits if not visit.scanned]
        if passed and unscanned:
            problems.append("pages visited but never scanned with axe_check: " + ", ".join(unscanned))
        problems.extend(log.errors)
        forget(page)
        page.context.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    """A desktop-sized page (1280 wide)."""
    return open_page(DESKTOP)


@pytest.fixture
def phone_page(open_page: Callable[..., Page]) -> Page:
    """A phone-sized page (375×812), the size most patients see."""
    return open_page(PHONE)
