"""The API at /api/: public open data, the facilitators' verification queue, privacy, and the docs."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.test import Client

from innovatorium.factories import NetworkFactory, PersonFactory, UserFactory, member
from innovatorium.networks.models import Network
from innovatorium.people import services as people_services
from innovatorium.people.models import Membership, Person, Role, User, Verification
from innovatorium.record import chain
from innovatorium.record.models import RecordEntry
from innovatorium.record.services import record_append


def _pending(network: Network, constituency: str = "nhs", **person_fields) -> Membership:  # noqa: ANN003
    person = PersonFactory(**person_fields)
    return people_services.membership_join(
        person=person, network=network, constituency=network.constituencies.get(slug=constituency)
    )


def _decide(client: Client, membership: Membership, *, network: Network | None = None, **body) -> object:  # noqa: ANN003
    slug = (network or membership.network).slug
    return client.post(
        f"/api/networks/{slug}/verifications/{membership.pk}", data=json.dumps(body), content_type="application/json"
    )


# --- Networks, constituencies and counts ------------------------------------------------------------------


def test_the_network_list_is_paginated_with_counts_by_constituency(client, network, patient, industry_member):
    body = client.get("/api/networks/", {"limit": 100}).json()

    assert body["count"] == Network.objects.count()
    ours = next(n for n in body["items"] if n["slug"] == network.slug)
    assert ours["members"] == 2
    assert ours["url"] == f"/{network.slug}/"
    counts = {c["slug"]: c["members"] for c in ours["constituencies"]}
    assert counts["patients-public"] == 1
    assert counts["industry"] == 1
    assert len(ours["constituencies"]) == 6

    page = client.get("/api/networks/", {"limit": 2, "offset": 1}).json()
    assert [n["slug"] for n in page["items"]] == [n["slug"] for n in body["items"][1:3]]


def test_the_network_list_can_be_searched_by_name(client, network, other_network):
    body = client.get("/api/networks/", {"q": "test reg"}).json()
    assert [n["slug"] for n in body["items"]] == [network.slug]


def test_pending_declarations_are_counted_apart_from_members(client, network):
    _pending(network)

    nhs = next(c for c in client.get(f"/api/networks/{network.slug}").json()["constituencies"] if c["slug"] == "nhs")

    assert (nhs["members"], nhs["pending"]) == (0, 1)


def test_a_network_names_only_the_people_who_consented(client, network):
    named = member(network, "nhs", role=Role.BOARD_MEMBER, person=PersonFactory(display_name="Carol Consenting",
                                                                                show_name_publicly=True))
    member(network, "nhs", role=Role.FACILITATOR, person=PersonFactory(display_name="Una Unnamed"))

    body = client.get(f"/api/networks/{network.slug}").json()

    assert body["named_people"] == [{"name": "Carol Consenting", "role": "board_member", "constituency": "nhs"}]
    assert named.person.pseudonym not in json.dumps(body)
    assert "Una Unnamed" not in json.dumps(body)


def test_an_unknown_network_is_404(client, db):
    assert client.get("/api/networks/no-such-network").status_code == 404
    assert client.get("/api/networks/no-such-network/constituencies").status_code == 404
    assert client.get("/api/counts/", {"network": "no-such-network"}).status_code == 404


def test_a_networks_constituencies_can_be_filtered_by_kind_and_activity(client, network):
    network.constituencies.filter(slug="academia").update(is_active=False)

    everything = client.get(f"/api/networks/{network.slug}/constituencies").json()
    industry = client.get(f"/api/networks/{network.slug}/constituencies", {"kind": "industry"}).json()
    inactive = client.get(f"/api/networks/{network.slug}/constituencies", {"active": "false"}).json()

    assert everything["count"] == 6
    assert [c["slug"] for c in industry["items"]] == ["industry"]
    assert [c["slug"] for c in inactive["items"]] == ["academia"]


def test_public_counts_total_members_by_kind_nationally_and_per_network(client, network, other_network, patient):
    member(other_network, "patients-public")
    member(other_network, "industry")
    _pending(other_network, "industry")

    national = client.get("/api/counts/").json()
    ours = client.get("/api/counts/", {"network": network.slug}).json()

    assert national["networks"] == Network.objects.count()
    by_kind = {k["kind"]: k for k in national["by_kind"]}
    assert by_kind["patients_public"]["members"] == 2
    assert (by_kind["industry"]["members"], by_kind["industry"]["pending"]) == (1, 1)
    assert national["members"] == 3
    assert (ours["networks"], ours["members"]) == (1, 1)
    assert [k["kind"] for k in ours["by_kind"]][:2] == ["patients_public", "nhs"]


def test_list_queries_do_not_grow_with_networks_or_members(client, network, django_assert_max_num_queries):
    for _ in range(3):
        extra = NetworkFactory()
        for slug in ("patients-public", "nhs", "industry"):
            member(extra, slug)
    with django_assert_max_num_queries(3):
        assert client.get("/api/networks/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/api/counts/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(f"/api/networks/{network.slug}").status_code == 200


# --- The record -----------------------------------------------------------------------------------------


def test_record_entries_are_paginated_and_filterable(client, network, other_network, patient):
    for n in range(3):
        record_append(action="people.membership.joined", actor=patient, network=network, payload={"n": n})
    record_append(action="people.membership.verified", actor=None, network=network)
    record_append(action="people.membership.joined", actor=None, network=other_network)

    everything = client.get("/api/record/entries", {"limit": 2}).json()
    ours = client.get("/api/record/entries", {"network": network.slug, "action": "people.membership.joined"}).json()
    family = client.get("/api/record/entries", {"network": network.slug, "action": "people."}).json()
    since = client.get("/api/record/entries", {"after": 3, "order": "oldest"}).json()

    assert everything["count"] == 5
    assert [e["sequence"] for e in everything["items"]] == [5, 4]
    assert [e["sequence"] for e in ours["items"]] == [3, 2, 1]
    assert family["count"] == 4
    assert [e["sequence"] for e in since["items"]] == [4, 5]


def test_anyone_can_recheck_the_chain_from_what_the_api_serves(client, network, patient):
    for n in range(4):
        record_append(action="test.thing.done", actor=patient if n % 2 else None, network=network,
                      payload={"n": n, "text": "déjà vu"})

    entries = client.get("/api/record/entries", {"order": "oldest"}).json()["items"]

    checked, broken = chain.verify(entries)
    assert (checked, broken) == (4, None)
    assert client.get("/api/record/entries/2").json() == entries[1]
    assert client.get("/api/record/entries/99").status_code == 404


def test_record_entries_list_in_a_fixed_number_of_queries(client, network, patient, django_assert_max_num_queries):
    for n in range(20):
        record_append(action="test.thing.done", actor=patient, network=network, payload={"n": n})
    with django_assert_max_num_queries(2):
        assert client.get("/api/record/entries").json()["count"] == 20


# --- Verification: facilitators of the network only -------------------------------------------------------


def test_an_anonymous_visitor_gets_401_from_the_verification_queue(client, network):
    pending = _pending(network)

    assert client.get(f"/api/networks/{network.slug}/verifications").status_code == 401
    assert _decide(client, pending, approve=True).status_code == 401
    pending.refresh_from_db()
    assert pending.verification == Verification.PENDING


def test_a_member_who_is_not_a_facilitator_gets_403(client_for, network, patient):
    pending = _pending(network)
    client = client_for(patient)

    assert client.get(f"/api/networks/{network.slug}/verifications").status_code == 403
    assert _decide(client, pending, approve=True).status_code == 403
    pending.refresh_from_db()
    assert pending.verification == Verification.PENDING


def test_an_admin_of_another_network_cannot_see_or_decide_this_networks_queue(
    client_for, network, other_network, other_admin
):
    pending = _pending(network)
    client = client_for(other_admin)

    assert client.get(f"/api/networks/{network.slug}/verifications").status_code == 403
    assert _decide(client, pending, approve=True).status_code == 403
    # Through their own network's address the membership simply is not there.
    assert _decide(client, pending, network=other_network, approve=True).status_code == 404
    pending.refresh_from_db()
    assert pending.verification == Verification.PENDING
    assert not RecordEntry.objects.filter(action="people.membership.verified").exists()


def test_a_facilitator_lists_their_networks_pending_declarations_by_pseudonym(
    client_for, network, other_network, facilitator
):
    mine = _pending(network, display_name="Nadia NHS", access_needs="Step-free access")
    _pending(network, "industry")
    _pending(other_network)

    body = client_for(facilitator).get(f"/api/networks/{network.slug}/verifications").json()
    nhs_only = client_for(facilitator).get(
        f"/api/networks/{network.slug}/verifications", {"constituency": "nhs"}
    ).json()

    assert body["count"] == 2
    assert body["items"][0]["id"] == mine.pk
    assert body["items"][0]["member"] == mine.person.pseudonym
    assert body["items"][0]["constituency"] == "nhs"
    assert [i["id"] for i in nhs_only["items"]] == [mine.pk]
    assert "Nadia" not in json.dumps(body)
    assert "Step-free" not in json.dumps(body)


def test_a_facilitator_verifies_a_declaration_and_it_is_recorded_and_counted(client_for, network, facilitator):
    pending = _pending(network)
    client = client_for(facilitator)

    response = _decide(client, pending, approve=True)

    assert response.status_code == 200
    assert response.json()["verification"] == "verified"
    pending.refresh_from_db()
    assert (pending.verification, pending.verified_by) == (Verification.VERIFIED, facilitator)
    entry = RecordEntry.objects.get(action="people.membership.verified")
    assert (entry.actor_pseudonym, entry.object_id) == (facilitator.pseudonym, str(pending.pk))
    assert client.get(f"/api/networks/{network.slug}/verifications").json()["count"] == 0
    nhs = client.get(f"/api/networks/{network.slug}/constituencies", {"kind": "nhs"}).json()["items"][0]
    assert (nhs["members"], nhs["pending"]) == (2, 0)  # the facilitator and the newly verified member


def test_rejecting_a_declaration_needs_a_reason(client_for, network, facilitator):
    pending = _pending(network)
    client = client_for(facilitator)

    refused = _decide(client, pending, approve=False, note="  ")
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        {"loc": ["body", "note"], "msg": "Say why the declaration could not be verified.", "type": "value_error"}
    ]
    pending.refresh_from_db()
    assert pending.verification == Verification.PENDING
    assert not RecordEntry.objects.filter(action="people.membership.rejected").exists()

    rejected = _decide(client, pending, approve=False, note="Not on the trust's staff list")
    assert rejected.status_code == 200
    assert rejected.json()["verification"] == "rejected"
    assert RecordEntry.objects.filter(action="people.membership.rejected").count() == 1


def test_a_declaration_that_needs_no_check_cannot_be_decided(client_for, network, facilitator, patient):
    response = _decide(client_for(facilitator), patient.memberships.get(), approve=True)
    assert response.status_code == 422


def test_a_facilitator_cannot_verify_their_own_declaration(client_for, network):
    own = member(network, "nhs", role=Role.FACILITATOR, verification=Verification.PENDING)

    response = _decide(client_for(own.person), own, approve=True)

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.verification == Verification.PENDING


def test_deciding_a_verification_needs_the_csrf_token(network, facilitator):
    pending = _pending(network)
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator.user)

    refused = _decide(client, pending, approve=True)
    assert refused.status_code == 403
    pending.refresh_from_db()
    assert pending.verification == Verification.PENDING

    client.get("/api/docs")  # sets the csrftoken cookie, as the docs page or any site page would
    accepted = client.post(
        f"/api/networks/{network.slug}/verifications/{pending.pk}", data=json.dumps({"approve": True}),
        content_type="application/json", headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert accepted.status_code == 200


def test_a_facilitator_asking_about_an_unknown_network_gets_404(client_for, facilitator):
    assert client_for(facilitator).get("/api/networks/no-such-network/verifications").status_code == 404


# --- Privacy: no personal data without consent, anywhere in the API ------------------------------------


def _sentinel_person(network: Network, n: int, constituency: str, **membership) -> Person:  # noqa: ANN003
    person = PersonFactory(
        user=UserFactory(email=f"sentinel-email-{n}@leak.example"),
        display_name=f"SENTINEL-NAME-{n}",
        show_name_publicly=False,
        contact_consent=True,
        access_needs=f"SENTINEL-ACCESS-NEEDS-{n}: British Sign Language interpreter",
    )
    people_services.membership_join(
        person=person, network=network, constituency=network.constituencies.get(slug=constituency)
    )
    if membership:
        Membership.objects.filter(person=person).update(**membership)
    people_services.declaration_add(
        person=person, network=network, interest_type="professional", description="Advises a charity."
    )
    return person


def _body_text(response) -> str:  # noqa: ANN001
    """A response body as text; a zip (an export) is opened and every file in it read."""
    if response.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return response.content.decode("utf-8", "replace")


def _get_paths(schema: dict) -> list[str]:
    return sorted(path for path, methods in schema["paths"].items() if "get" in methods)


def _fill(path: str, *, slug: str, sequence: int, bodies: dict[str, dict]) -> str | None:
    """A real URL for a path from the schema, or None when there is nothing to fill a parameter with.

    Parameters we do not know (other apps' ids) take the first id listed by the path's parent list endpoint.
    """
    url = path.replace("{slug}", slug).replace("{network_slug}", slug).replace("{network}", slug)
    url = url.replace("{sequence}", str(sequence))
    while (match := re.search(r"\{(\w+)\}", url)) is not None:
        parent = bodies.get(url[: match.start()], {})
        items = parent.get("items") if isinstance(parent, dict) else None
        if not items or "id" not in items[0]:
            return None
        url = url[: match.start()] + str(items[0]["id"]) + url[match.end():]
    return url


def test_no_api_response_contains_personal_data_given_without_consent(client, network, facilitator):
    pending = _sentinel_person(network, 1, "nhs")  # waits in the verification queue
    _sentinel_person(network, 2, "patients-public", role=Role.BOARD_MEMBER)  # a board member, not named
    _sentinel_person(network, 3, "industry", role=Role.FACILITATOR, verification=Verification.VERIFIED)
    consenting = PersonFactory(display_name="Carol Consenting", show_name_publicly=True)
    member(network, "nhs", role=Role.BOARD_MEMBER, person=consenting)
    secrets = [
        *User.objects.values_list("email", flat=True),
        *Person.objects.filter(show_name_publicly=False).values_list("display_name", flat=True),
        *Person.objects.exclude(access_needs="").values_list("access_needs", flat=True),
        "SENTINEL-", "leak.example",
    ]
    assert len(secrets) > 10

    facilitator_client = Client()
    facilitator_client.force_login(facilitator.user)
    schema = client.get("/api/openapi.json").json()
    bodies: dict[str, str] = {}
    answered: set[str] = set()

    def scan() -> None:
        sequence = RecordEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
        lists: dict[str, dict] = {}
        # Shorter paths first, so a list is read before the detail paths that take their ids from it.
        for path in sorted(_get_paths(schema), key=len):
            url = _fill(path, slug=network.slug, sequence=sequence, bodies=lists)
            if url is None:
                continue
            for who, c in (("anonymous", client), ("facilitator", facilitator_client)):
                for query in ({"limit": 500},):
                    response = c.get(url, query)
                    bodies[f"{who} GET {url} {query}"] = _body_text(response)
                    if response.status_code == 200:
                        answered.add(path)
                        if response.headers["Content-Type"].startswith("application/json"):
                            lists[url] = response.json()

    scan()
    decided = _decide(facilitator_client, pending.memberships.get(), approve=True)
    bodies["facilitator POST decision"] = decided.content.decode()
    scan()  # again, now that the sentinel member is verified and counted

    assert decided.status_code == 200
    ours = {p for p in _get_paths(schema) if p.startswith(("/api/networks", "/api/counts", "/api/record"))}
    assert len(ours) == 8
    assert answered >= ours, "every networks, counts and record endpoint must have been read successfully"
    for where, body in bodies.items():
        for secret in secrets:
            assert secret.lower() not in body.lower(), f"{secret!r} leaked in {where}"
    # The scan is real: people do appear, by pseudonym or by the name they chose to show.
    everything = "\n".join(bodies.values())
    assert pending.pseudonym in everything
    assert "Carol Consenting" in everything


def _refs(node) -> set[str]:  # noqa: ANN001
    """Every component schema a part of the OpenAPI document refers to."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[-1])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def test_the_api_schema_returns_no_personal_fields(client, db):
    """What the API sends back never has a personal field. (A request may carry the sender's own access needs.)"""
    schema = client.get("/api/openapi.json").json()
    components = schema["components"]["schemas"]
    returned = _refs([op.get("responses", {}) for ops in schema["paths"].values() for op in ops.values()])
    pending = list(returned)
    while pending:  # follow nested references
        for name in _refs(components.get(pending.pop(), {})) - returned:
            returned.add(name)
            pending.append(name)
    assert returned, "the walk found no response schemas at all"
    properties = {name.lower() for key in returned for name in components.get(key, {}).get("properties", {})}
    assert not properties & {"email", "access_needs", "display_name", "contact_consent", "user", "password"}


# --- Documentation ----------------------------------------------------------------------------------------


def test_the_openapi_description_lists_every_endpoint(client, db):
    schema = client.get("/api/openapi.json").json()

    assert schema["info"]["title"] == "Innovatorium API"
    assert set(schema["paths"]) >= {
        "/api/networks/", "/api/networks/{slug}", "/api/networks/{slug}/constituencies", "/api/counts/",
        "/api/networks/{slug}/verifications", "/api/networks/{slug}/verifications/{membership_id}",
        "/api/record/entries", "/api/record/entries/{sequence}", "/api/record/verify",
    }


def test_the_docs_page_uses_only_local_assets_under_the_sites_csp(client, db):
    response = client.get("/api/docs")
    html = response.content.decode()

    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert all(s.startswith("/") for s in sources), sources
    csp = response.headers["Content-Security-Policy"]
    # The same strict policy as every page: no 'unsafe-inline', no 'unsafe-eval', nothing outside the site.
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe" not in csp
    assert "<script>" not in html  # only external scripts and a JSON data block
    assert json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1))["validatorUrl"] is None


@pytest.mark.browser
@pytest.mark.django_db
def test_the_docs_render_in_chromium_with_no_csp_violation_no_outside_request_and_no_axe_violation(request):
    from playwright.sync_api import sync_playwright

    chromium = "/usr/bin/chromium"
    if not os.access(chromium, os.X_OK):
        pytest.fail(f"{chromium} is missing: `apt-get install -y chromium`.")
    axe = (Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js").read_text("utf-8")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"]
    with sync_playwright() as playwright:
        # The session's live server starts here, while Playwright's event loop runs, as in tests/browser: Django
        # keeps a separate connection for code under a running loop, and the server must share the one those
        # tests write through. The docs only read seeded data, so this test needs no transactional database
        # (whose closing flush would also empty the seeded networks for the browser tests that follow).
        live_server = request.getfixturevalue("live_server")
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        try:
            page = browser.new_page()
            page.set_default_timeout(10_000)
            requests: list[str] = []
            errors: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda message: message.type == "error" and errors.append(message.text))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.add_init_script(
                "window.__csp = []; document.addEventListener('securitypolicyviolation', "
                "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
            )
            page.goto(f"{live_server.url}/api/docs")
            page.wait_for_selector(".opblock")
            assert page.locator(".opblock").count() >= 9
            # Open one operation and call it from the page, as a developer would.
            page.locator(".opblock-summary-control", has_text="/api/counts/").click()
            page.get_by_role("button", name="Try it out").click()
            page.get_by_role("button", name="Execute").click()
            page.wait_for_selector(".live-responses-table tr.response .response-col_status")
            assert "200" in page.locator(".live-responses-table tr.response .response-col_status").first.inner_text()

            # And the parts a reader opens next: a write operation with its request body, and the schemas.
            page.locator(".opblock-summary-control", has_text="/verifications/{membership_id}").click()
            page.get_by_role("button", name="Schemas").click()
            page.wait_for_selector(".opblock-post .opblock-body")

            page.evaluate(axe)
            result = page.evaluate(
                "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}, resultTypes: ['violations']})"
            )
            violations = page.evaluate("window.__csp")
        finally:
            browser.close()

    assert violations == []
    assert errors == []
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
