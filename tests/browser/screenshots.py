"""Take full-page screenshots of the main pages at phone and desktop widths, to look at them as users do.

Not a test. Run it against a running site; with the demo data (`make run`) the defaults just work:

    uv run python tests/browser/screenshots.py [--split]

Other sites: `--base-url`, `--network SLUG`, and `--member` / `--facilitator` as `EMAIL[:PASSWORD]` (the password
defaults to the demo one; an empty value skips those pages). PNGs go to /tmp/shots/ (`--out`), named
`<page>-<width>.png`; `--split` also saves each page a screenful at a time, which is easier to read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from innovatorium.demo.constants import DEMO_DOMAIN, DEMO_NETWORK_SLUG, DEMO_PASSWORD  # noqa: E402 - path above
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE  # noqa: E402

WIDTHS = {"375": PHONE, "1280": DESKTOP}


def _login(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    email, _, password = value.partition(":")
    return email, password or DEMO_PASSWORD


def _sign_in(page: Page, base_url: str, login: tuple[str, str]) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(login[0])
    page.locator("input[name=password]").fill(login[1])
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state("load")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"Could not sign in as {login[0]}: check the email and password.")


def _split(page: Page, target: Path, viewport: dict[str, int]) -> None:
    """Also save the page a screenful at a time (`-part1.png`…): a long page shrunk to one image is unreadable."""
    height = page.evaluate("() => document.documentElement.scrollHeight")
    step = viewport["height"] + viewport["height"] // 2
    for number, top in enumerate(range(0, height, step), start=1):
        clip = {"x": 0, "y": top, "width": viewport["width"], "height": min(step, height - top)}
        page.screenshot(path=str(target.with_name(f"{target.stem}-part{number}.png")), full_page=True, clip=clip)


def _shoot(
    browser: Browser, base_url: str, out: Path, pages: dict[str, str], login: tuple[str, str] | None, split: bool
) -> None:
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="Europe/London")
        page = context.new_page()
        if login:
            _sign_in(page, base_url, login)
        for name, path in pages.items():
            page.goto(f"{base_url}{path}")
            page.wait_for_load_state("load")
            target = out / f"{name}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            print(f"{target}  ({page.url})")
            if split:
                _split(page, target, viewport)
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--network", default=DEMO_NETWORK_SLUG, help="slug of the network to show")
    parser.add_argument("--join-network", default="oxford", help="a network the member has not joined")
    parser.add_argument(
        "--member", default=f"patient@{DEMO_DOMAIN}", help="EMAIL[:PASSWORD] of a member (join and profile pages)"
    )
    parser.add_argument(
        "--facilitator", default=f"facilitator@{DEMO_DOMAIN}", help="EMAIL[:PASSWORD] of a facilitator of --network"
    )
    # A fixed, well-known place to look at the pictures; they hold nothing secret.
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))  # noqa: S108
    parser.add_argument("--split", action="store_true", help="also save each page in screen-sized parts")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    base = args.base_url.rstrip("/")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        anonymous = {
            "home": "/",
            "network": f"/{args.network}/",
            "record": f"/{args.network}/record/",
            "record-all": "/record/",
            "verify": "/record/verify/",
            "privacy": "/about/privacy/",
            "sign-up": "/accounts/signup/",
            "sign-in": "/accounts/login/",
        }
        _shoot(browser, base, args.out, anonymous, None, args.split)
        if member := _login(args.member):
            pages = {"join": f"/{args.join_network}/join/", "profile": "/me/", "network-member": f"/{args.network}/"}
            _shoot(browser, base, args.out, pages, member, args.split)
        if facilitator := _login(args.facilitator):
            pages = {
                "facilitate": "/facilitate/",
                "verification-queue": f"/{args.network}/facilitate/verifications/",
                "constituencies": f"/{args.network}/facilitate/constituencies/",
            }
            _shoot(browser, base, args.out, pages, facilitator, args.split)
        browser.close()


if __name__ == "__main__":
    main()
