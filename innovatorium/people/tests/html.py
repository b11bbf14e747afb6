"""Checks on rendered HTML shared by the people app's page tests (stdlib parser: no extra dependency)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Script types a browser never executes, so a strict CSP does not need to allow them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


@dataclass
class Page:
    inputs: list[dict[str, str]] = field(default_factory=list)
    labels_for: set[str] = field(default_factory=set)
    inline_scripts: int = 0
    style_attributes: list[str] = field(default_factory=list)
    style_elements: int = 0
    event_handlers: list[str] = field(default_factory=list)
    images: list[dict[str, str]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    h1_count: int = 0


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.page.ids.append(a["id"])
        if "style" in a:
            self.page.style_attributes.append(tag)
        self.page.event_handlers += [k for k in a if k.startswith("on")]
        if tag in {"input", "select", "textarea"}:
            self.page.inputs.append({"tag": tag, **a})
        elif tag == "label" and a.get("for"):
            self.page.labels_for.add(a["for"])
        elif tag == "script" and not a.get("src") and a.get("type") not in DATA_SCRIPT_TYPES:
            self.page.inline_scripts += 1
        elif tag == "style":
            self.page.style_elements += 1
        elif tag == "img":
            self.page.images.append(a)
        elif tag == "h1":
            self.page.h1_count += 1


def parse(html: str | bytes) -> Page:
    parser = _Parser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.page


def assert_nhs_page(html: str | bytes) -> Page:
    """The page uses our NHS.UK layout, passes a strict CSP, and labels every field a person fills in."""
    text = html.decode() if isinstance(html, bytes) else html
    page = parse(text)
    assert 'class="nhsuk-skip-link"' in text, "extends base.html (skip link)"
    assert 'class="nhsuk-header' in text and 'class="nhsuk-footer' in text, "extends base.html (header, footer)"
    assert page.h1_count == 1, "one page heading"
    assert page.inline_scripts == 0, "no inline scripts (CSP)"
    assert page.style_attributes == [] and page.style_elements == 0, "no inline styles (CSP)"
    assert page.event_handlers == [], "no inline event handlers (CSP)"
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    for field_ in page.inputs:
        if field_.get("type") in {"hidden", "submit", "button"}:
            continue
        assert field_.get("id") in page.labels_for, f"a label for {field_}"
        assert "placeholder" not in field_, f"visible labels instead of placeholders: {field_}"
    for image in page.images:
        assert image.get("alt"), f"an alternative text for {image.get('src', '')[:40]}"
    return page
