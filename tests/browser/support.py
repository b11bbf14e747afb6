"""Helpers for the browser tests: the axe-core check, signing in, and the page log the fixtures keep."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Frame, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

BASE_DIR = Path(__file__).resolve().parents[2]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying to reach the internet (see RECIPES.md).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
# NHS.UK frontend's CSS declares its Frutiger @font-face on assets.nhs.uk. Our CSP (font-src 'self') refuses it,
# and Chromium reports that refusal while parsing the CSS even though the font is never fetched: pages fall back
# to Arial, as the NHS asks of services outside nhs.uk. Any other console error fails the test.
KNOWN_CONSOLE_NOISE = re.compile(
    r"^Loading the font 'https://assets\.nhs\.uk/fonts/[^']+' violates .*Content Security Policy"
)


@functools.cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (make assets) before the browser tests.")
    return AXE_JS.read_text(encoding="utf-8")


@dataclass
class Visit:
    url: str
    scanned: bool = False


@dataclass
class PageLog:
    """What happened in one page's life: the documents it loaded and the errors it logged."""

    visits: list[Visit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


_LOGS: dict[int, PageLog] = {}  # keyed by id(page): axe_check marks the visit it scanned


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def watch(page: Page) -> PageLog:
    """Start logging a page's visits and errors."""
    log = PageLog()
    _LOGS[id(page)] = log

    def on_navigated(frame: Frame) -> None:
        if frame != page.main_frame:
            return
        # Following an in-page link (#maincontent) is not a new page.
        if log.visits and _without_fragment(log.visits[-1].url) == _without_fragment(frame.url):
            return
        log.visits.append(Visit(url=frame.url))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not KNOWN_CONSOLE_NOISE.search(message.text):
            log.errors.append(f"console error on {page.url}: {message.text}")

    def on_page_error(error: Exception) -> None:
        log.errors.append(f"uncaught JavaScript error on {page.url}: {error}")

    page.on("framenavigated", on_navigated)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return log


def forget(page: Page) -> None:
    _LOGS.pop(id(page), None)


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG 2.2 AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"\n- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  at {' '.join(node['target'])}")
            lines.append(f"     {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            lines.append(f"       {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"  … and {len(violation['nodes']) - 5} more element(s)")
    return "\n".join(lines)


def axe_check(page: Page) -> None:
    """Scan the current page with axe-core and fail, listing each problem, on any WCAG 2.2 AA violation.

    At phone width it also checks reflow (no sideways scrolling), the one AA rule that matters most on phones.
    """
    page.wait_for_load_state("load")
    # `evaluate` runs through the DevTools protocol, which the page's strict CSP does not block (an injected
    # <script> tag would be refused, and we keep CSP on so that a page breaking it fails the test).
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    log = _LOGS.get(id(page))
    if log is not None and log.visits:
        log.visits[-1].scanned = True
    if result["violations"]:
        pytest.fail(_format_violations(page.url, result["violations"]), pytrace=False)
    _check_reflow(page)


def _check_reflow(page: Page) -> None:
    """WCAG 1.4.10 (reflow), which axe cannot judge: at phone width nothing may make the page scroll sideways."""
    viewport = page.viewport_size
    if not viewport or viewport["width"] > PHONE["width"]:
        return
    too_wide = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll('main *')]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .map(el => el.outerHTML.slice(0, 160)).slice(-5);
        }"""
    )
    if too_wide:
        pytest.fail(
            f"{page.url} scrolls sideways at {viewport['width']}px; too wide: " + "\n".join(too_wide), pytrace=False
        )


def sign_in(page: Page, *, email: str, password: str) -> None:
    """Sign in through the real sign-in form, scanning it and the page it lands on."""
    page.goto("/accounts/login/")
    axe_check(page)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main").get_by_role("button", name=re.compile(r"^\s*sign in\s*$", re.IGNORECASE)).click()
    try:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    except PlaywrightTimeoutError:
        pytest.fail(f"Could not sign in as {email}: the sign-in page stayed.", pytrace=False)
    axe_check(page)
