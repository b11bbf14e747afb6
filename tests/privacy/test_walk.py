"""No personal data of people who did not consent on any public page, feed, export, chart or API response.

The walk starts at the home page and every network's page and follows every internal link (pages, Atom and
iCalendar feeds, CSV/JSON exports, SVG charts), as an anonymous visitor and as a signed-in member who is
neither staff nor any of the planted people; then it GETs every API path in the OpenAPI schema.
"""

from __future__ import annotations

import pytest

from innovatorium.api import api
from tests.privacy import sentinels
from tests.privacy.walk import Walk, kind_of

# The first test loads the demo data and walks the site, which takes a few minutes.
pytestmark = [pytest.mark.django_db, pytest.mark.timeout(1500)]


def _leaks(walk: Walk) -> list[str]:
    found = []
    for f in walk.fetched:
        for text in sentinels.response_texts(f.body, f.content_type):
            found.extend(f"{f.url}: …{leak}…" for leak in sentinels.leaks(text))
    return found


def test_the_sentinels_are_planted_everywhere(world):
    assert world.people >= 64
    assert world.planted["people.Person.display_name"] == world.people
    assert world.planted["events.Registration.access_needs"] > 0
    assert world.planted["projects.ParticipantProfile.postcode_district"] > 0


def test_no_public_page_feed_export_or_chart_shows_anyone_who_did_not_consent(walked):
    anonymous, member, _, _ = walked

    assert _leaks(anonymous) == []
    assert _leaks(member) == []


def test_no_api_response_shows_anyone_who_did_not_consent(walked):
    _, _, api_walk, _ = walked

    assert _leaks(api_walk) == []


def test_the_walk_can_see_a_name_shown_with_consent(walked, world):
    # The positive control: the scanner would have seen a planted name had it been shown.
    anonymous, member, api_walk, _ = walked
    bodies = " ".join(b.decode("utf-8", "replace") for w in walked[:3] for b in (f.body for f in w.fetched))

    assert world.consented
    assert sentinels.CONSENTED in bodies.lower()


def test_the_walk_reaches_pages_feeds_exports_charts_and_the_api(walked):
    anonymous, member, api_walk, unfilled = walked
    kinds = anonymous.kinds() + member.kinds() + api_walk.kinds()
    print(f"\nprivacy walk: {dict(kinds)}; {len(anonymous.routes | member.routes)} URL patterns; "
          f"{len(api_walk.routes)} API paths; API paths without values: {unfilled}")

    assert kinds["page"] >= 100
    assert kinds["feed"] >= 1 and kinds["export"] >= 3 and kinds["chart"] >= 3
    assert kinds["api"] >= 40
    server_errors = [f"{f.url} {f.status}" for w in walked[:3] for f in w.fetched if f.status >= 500]
    assert server_errors == []


def test_the_api_walk_fills_nearly_every_path(walked):
    _, _, api_walk, unfilled = walked
    paths = len(api.get_openapi_schema(path_prefix="/api/")["paths"])

    assert len(unfilled) <= paths // 5, unfilled
    assert kind_of(api_walk.fetched[0]) == "api"


def test_the_scanner_finds_planted_data_where_it_may_be_shown(world, client):
    # The negative control: a network's facilitators see their members' names, so the sentinels are there.
    from innovatorium.people.models import Membership, Role

    staff = Membership.objects.filter(role=Role.FACILITATOR).select_related("person__user", "network").first()
    client.force_login(staff.person.user)

    response = client.get(f"/{staff.network.slug}/facilitate/members/")

    assert response.status_code == 200
    assert sentinels.leaks(response.content.decode()) != []


def test_the_walk_reaches_most_public_url_patterns(walked):
    from innovatorium.core.permissions import PUBLIC
    from innovatorium.core.urlwalk import walk_urls

    anonymous, member, _, _ = walked
    reached = set(anonymous.routes) | set(member.routes)
    public = {str(r.label).lstrip("/") for r in walk_urls()
              if getattr(r.callback, "permission_rule", None) == PUBLIC and not r.is_ninja}
    missed = sorted(p for p in public if p not in reached)
    print(f"\npublic URL patterns: {len(public)}, reached: {len(public) - len(missed)}; not linked: {missed}")

    assert len(missed) <= len(public) // 4, missed
