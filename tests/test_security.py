"""Security headers on every page, no version disclosure, and no write without a CSRF token on any URL."""

from __future__ import annotations

import re
import threading
import urllib.request

import pytest
from django.apps import apps
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer, get_internal_wsgi_application
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse

from innovatorium.core.urlwalk import Route, walk_urls
from innovatorium.factories import member
from innovatorium.people.models import Membership, Verification

UNSAFE_METHODS = ("post", "put", "patch", "delete")


# --- Headers ---------------------------------------------------------------------------------------

PAGES = [
    pytest.param("/", None, id="home"),
    pytest.param("/{network}/", None, id="network"),
    pytest.param("/{network}/record/", None, id="network-record"),
    pytest.param("/record/", None, id="record"),
    pytest.param("/record/verify/", None, id="record-verify"),
    pytest.param("/about/privacy/", None, id="privacy"),
    pytest.param("/accounts/login/", None, id="sign-in"),
    pytest.param("/accounts/signup/", None, id="sign-up"),
    pytest.param("/accounts/password/reset/", None, id="password-reset"),
    pytest.param("/me/", "patient", id="profile"),
    pytest.param("/{network}/facilitate/verifications/", "facilitator", id="verification-queue"),
    pytest.param("/api/networks/", None, id="api-networks"),
    pytest.param("/api/record/verify", None, id="api-record-verify"),
    pytest.param("/api/docs", None, id="api-docs"),
    pytest.param("/no-such-network/", None, id="not-found"),
]


@pytest.mark.parametrize(("url", "persona"), PAGES)
def test_every_page_carries_the_security_headers(request, client, network, url, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona).user)

    response = client.get(url.format(network=network.slug))

    assert response.status_code in (200, 404)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(("url", "persona"), PAGES)
def test_no_page_discloses_software_versions(request, client, network, url, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona).user)

    response = client.get(url.format(network=network.slug))

    assert response.headers["Server"] == "Innovatorium"
    assert "X-Powered-By" not in response.headers
    assert not re.search(r"(Django|WSGIServer|CPython|Python)/?\s*\d", response.content.decode(errors="replace"))


def test_the_development_server_names_no_software_version():
    # runserver's handler adds `Server: WSGIServer/0.2 CPython/3.x` unless the app sets one. This serves one
    # request with the same classes, without `live_server`: its session-wide server and closing flush would
    # disturb the browser tests, and /healthz needs no database.
    server = WSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(get_internal_wsgi_application())
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/healthz"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own local server
            status, server_header, powered_by = response.status, response.headers["Server"], response.headers[
                "X-Powered-By"]
    finally:
        thread.join(timeout=10)
        server.server_close()

    assert status == 200
    assert server_header == "Innovatorium"
    assert powered_by is None


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's signature
        pass


def test_static_files_carry_nosniff_and_no_version(db, client, settings):
    # Served by WhiteNoise inside the middleware stack, as in production (finders: no collectstatic needed).
    settings.WHITENOISE_USE_FINDERS = True
    response = client.get("/static/innovatorium/site.css")
    response.close()  # a file response keeps its file open until closed

    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Server"] == "Innovatorium"


def test_pages_outside_production_send_no_hsts(client, network):
    # HSTS is checked against production settings in test_settings.py.
    assert "Strict-Transport-Security" not in client.get("/", secure=True).headers


# --- CSRF ------------------------------------------------------------------------------------------


# The audit log records each refusal (innovatorium/audit): a write we expect, not one the token should stop.
EXPECTED_WRITES = {"audit_auditevent"}


def _row_counts() -> dict[str, int]:
    """Rows in every table, in one query (the walk takes hundreds of snapshots)."""
    tables = sorted({
        model._meta.db_table for model in apps.get_models() if model._meta.managed and not model._meta.proxy
    } - EXPECTED_WRITES)
    quote = connection.ops.quote_name
    # Table names come from our own models, quoted by the database backend.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


@pytest.fixture
def csrf_world(network, other_network, patient, facilitator):
    """Real objects behind every URL argument, and a signed-in person who may do everything.

    The facilitator is made a superuser too, so the only thing that can stop a write is the missing token.
    """
    user = facilitator.user
    user.is_superuser = True
    user.is_staff = True
    user.save()
    pending = member(network, "nhs", verification=Verification.PENDING)
    own = Membership.objects.get(person=facilitator, network=network)
    values = {
        "network_slug": network.slug,
        "slug": network.slug,
        "constituency_slug": "patients-public",
        "membership_id": pending.pk,
        "object_id": str(user.pk),
        "content_type_id": "1",
        "app_label": "auth",
        "url": "anything/",
        "key": "made-up-key",
        "uidb36": "1",
        "sequence": 1,
    }
    # Per URL, the argument that would let the write succeed if the token were not checked.
    overrides = {"people:leave_membership": {"membership_id": own.pk}}
    return user, values, overrides


# Forms that would pass validation if CSRF did not stop them: a write, not a form error, is what we guard.
POST_BODIES = {
    "people:verify_membership": {"decision": "approve", "note": ""},
    "people:profile": {"display_name": "Changed", "show_name_publicly": "on", "access_needs": ""},
    "people:delete_account": {"confirm": "delete my account"},
    "networks:constituencies": {"name": "Carers", "kind": "other", "description": "", "is_active": "on"},
    "networks:constituency_edit": {"name": "Renamed", "kind": "patients_public", "is_active": "on"},
    "account_signup": {
        "email": "new@example.org", "password1": "a-long-new-password-9", "password2": "a-long-new-password-9",
    },
}


def _bare(route: str) -> str:
    return route.replace("^", "").replace("$", "").strip("/")


def _all_routes() -> list[Route]:
    return list(walk_urls())


def _path(route: Route, values: dict, overrides: dict) -> str:
    # Arguments we have no fixture for (other apps' objects) get "1": the CSRF check runs before any lookup.
    return route.path({**values, **overrides.get(route.qualified_name, {})}, fallback="1")


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in-superuser-facilitator", "anonymous"])
def test_no_url_writes_anything_without_a_csrf_token(csrf_world, signed_in):
    user, values, overrides = csrf_world
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(user)
    failures = []

    for route in _all_routes():
        path = _path(route, values, overrides)
        body = POST_BODIES.get(route.qualified_name or "", {"anything": "x"})
        for method in UNSAFE_METHODS:
            before = _row_counts()
            response = getattr(client, method)(path, body)
            after = _row_counts()
            if response.status_code not in (403, 405) or before != after:
                changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
                failures.append(f"{method.upper()} {path} ({route.label}): {response.status_code} {changed}")

    assert failures == []


def test_the_csrf_walk_reaches_every_url_pattern(csrf_world):
    # Each generated path must land on the view it was made for, or the walk would test the wrong thing.
    _, values, overrides = csrf_world
    routes = _all_routes()

    def lands(route: Route) -> bool:
        match = resolve(_path(route, values, overrides))
        # Some libraries (django-ninja) register one path twice, one pattern per method: the same route is enough.
        return match.func is route.callback or _bare(match.route) == _bare(route.label)

    missed = [r.label for r in routes if not lands(r)]

    assert missed == []
    assert {r.qualified_name for r in routes} >= {"people:leave_membership", "account_signup", "admin:index"}
    assert any(r.is_ninja for r in routes)


def test_the_same_post_with_a_csrf_token_does_write(csrf_world):
    # Proves the walk's row counting can see a write: with a token, leaving a membership deletes a row.
    user, _, overrides = csrf_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("people:profile"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    path = reverse("people:leave_membership", kwargs=overrides["people:leave_membership"])

    before = _row_counts()
    response = client.post(path, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert _row_counts()["people_membership"] == before["people_membership"] - 1


def test_each_refused_cross_site_write_is_in_the_audit_log(csrf_world):
    from innovatorium.audit.models import AuditEvent, EventKind

    user, _, overrides = csrf_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    path = reverse("people:leave_membership", kwargs=overrides["people:leave_membership"])

    response = client.post(path, {})

    assert response.status_code == 403
    event = AuditEvent.objects.get(kind=EventKind.PERMISSION_DENIED)
    assert (event.path, event.method, event.person) == (path, "POST", user.person)


def test_the_api_refuses_a_cross_site_post_with_a_session(csrf_world):
    # django-ninja views are csrf_exempt and leave the check to the auth class; none may accept a bare POST.
    user, values, overrides = csrf_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    api_routes = [r for r in _all_routes() if r.is_ninja]

    statuses = {
        _path(r, values, overrides): client.post(_path(r, values, overrides), "{}", content_type="application/json")
        .status_code
        for r in api_routes
    }

    assert api_routes
    assert set(statuses.values()) <= {403, 405}, statuses


# --- Headers on every URL, found by walking the resolver -----------------------------------------------


def _assert_headers(response) -> list[str]:  # noqa: ANN001
    problems = []
    csp = response.headers.get("Content-Security-Policy", "")
    if "html" in response.headers.get("Content-Type", "") or csp:
        if "frame-ancestors 'none'" not in csp or "default-src 'self'" not in csp or "unsafe-inline" in csp:
            problems.append(f"CSP {csp!r}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if response.headers.get("Referrer-Policy") != "same-origin":
        problems.append("no Referrer-Policy")
    if response.headers.get("Server") != "Innovatorium" or "X-Powered-By" in response.headers:
        problems.append("discloses the server")
    return problems


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in-superuser-facilitator", "anonymous"])
def test_every_url_carries_the_security_headers_whatever_it_answers(csrf_world, signed_in):
    # Every URL pattern of every app, new ones included: 200s, redirects, 403s, 404s and 405s alike.
    user, values, overrides = csrf_world
    client = Client()
    if signed_in:
        client.force_login(user)
    failures, statuses = [], []
    for route in _all_routes():
        # The Django admin is third-party code for site superusers; its pages are checked in test_headers above.
        if route.qualified_name in {"account_logout", "account_reauthenticate"} or route.namespace == "admin":
            continue
        path = _path(route, values, overrides)
        response = client.get(path)
        statuses.append(response.status_code)
        if not response.streaming and "html" in response.headers.get("Content-Type", ""):
            problems = _assert_headers(response)
        else:
            problems = [p for p in _assert_headers(response) if not p.startswith("CSP")]
        if response.status_code >= 500:
            problems.append("server error")
        if problems:
            failures.append(f"GET {path} ({route.label}) {response.status_code}: {problems}")
        if response.streaming:
            # Read it to the end: the test client then finishes the request without closing the database
            # connection (response.close() alone fires request_finished, which closes it on PostgreSQL).
            b"".join(response.streaming_content)

    assert failures == []
    assert len(statuses) >= 120


# --- Rate limits (innovatorium/core/ratelimit.py) and the sign-up limit ---------------------------------

from unittest import mock  # noqa: E402

from django.core.cache import cache  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from innovatorium.core import ratelimit  # noqa: E402

TIGHT = ratelimit.Rate("test", per_person=3, per_address=5, seconds=60, message="Slow down, please.")


@pytest.fixture
def fresh_cache(db):  # the counters are in the database (rolled back after each test); allauth's in the cache
    cache.clear()
    yield
    cache.clear()


def _from(address: str):  # noqa: ANN202
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_a_person_over_their_limit_is_refused_and_someone_else_is_not(fresh_cache, patient, industry_member):
    for i in range(3):
        ratelimit.check(_from(f"10.0.0.{i}"), TIGHT, person=patient)

    with pytest.raises(ratelimit.RateLimited, match="Slow down"):
        ratelimit.check(_from("10.0.0.9"), TIGHT, person=patient)
    ratelimit.check(_from("10.0.0.9"), TIGHT, person=industry_member)


def test_one_address_over_its_limit_is_refused_whoever_is_acting(fresh_cache):
    # New anonymous identities each time (a script clearing its cookies): only the address limit can stop it.
    for i in range(5):
        ratelimit.check(_from("192.0.2.50"), TIGHT, identity=f"browser-{i}")

    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check(_from("192.0.2.50"), TIGHT, identity="browser-new")
    ratelimit.check(_from("192.0.2.51"), TIGHT, identity="browser-new")


def test_the_limit_lifts_in_the_next_window(fresh_cache, patient):
    for _ in range(3):
        ratelimit.check(None, TIGHT, person=patient)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check(None, TIGHT, person=patient)

    with mock.patch("innovatorium.core.ratelimit.time.time", return_value=__import__("time").time() + 61):
        ratelimit.check(None, TIGHT, person=patient)


def test_deliberation_statements_from_one_address_are_limited_even_without_cookies(
    fresh_cache, network, facilitator, monkeypatch,
):
    from innovatorium.deliberation import services as deliberation

    monkeypatch.setattr(ratelimit, "STATEMENTS", ratelimit.Rate("statement", 5, 3, 600, "Too many statements."))
    conversation = deliberation.conversation_open(network=network, actor=facilitator, question="What next?",
                                                  seed_statements=["A first statement to vote on."],
                                                  allow_anonymous=True)
    url = reverse("deliberation:add_statement", args=[network.slug, conversation.slug])
    before = conversation.statements.count()

    for i in range(3):
        Client().post(url, {"text": f"A new idea number {i} for the network."}, REMOTE_ADDR="203.0.113.77")
    refused = Client().post(url, {"text": "One idea too many from here."}, REMOTE_ADDR="203.0.113.77")

    assert conversation.statements.count() == before + 3
    assert "Too many statements." in refused.content.decode()
    Client().post(url, {"text": "Someone elsewhere is not limited."}, REMOTE_ADDR="203.0.113.78")
    assert conversation.statements.count() == before + 4


def test_deliberation_votes_from_one_address_are_limited(fresh_cache, network, facilitator, monkeypatch):
    from innovatorium.deliberation import services as deliberation

    monkeypatch.setattr(ratelimit, "VOTES", ratelimit.Rate("vote", 120, 2, 60, "Voting too quickly."))
    conversation = deliberation.conversation_open(network=network, actor=facilitator, question="What next?",
                                                  seed_statements=["One.", "Two.", "Three."],
                                                  allow_anonymous=True)
    url = reverse("deliberation:vote", args=[network.slug, conversation.slug])
    statements = list(conversation.statements.order_by("pk"))

    for statement in statements[:2]:
        Client().post(url, {"statement": statement.pk, "vote": "agree"}, REMOTE_ADDR="203.0.113.80")
    Client().post(url, {"statement": statements[2].pk, "vote": "agree"}, REMOTE_ADDR="203.0.113.80")

    from innovatorium.deliberation.models import Vote

    assert Vote.objects.filter(statement__conversation=conversation).count() == 2


def test_priority_ballots_from_one_address_are_limited_in_the_api(fresh_cache, network, facilitator, monkeypatch):
    from innovatorium.priorities import services as priorities
    from innovatorium.priorities.models import Ballot

    monkeypatch.setattr(ratelimit, "BALLOTS", ratelimit.Rate("ballot", 10, 2, 600, "Too many ballots."))
    round_ = priorities.round_create(network=network, actor=facilitator, title="Round", method="approval",
                                     seats=1, texts=["A", "B"], secret=True)
    voters = [member(network, "patients-public").person for _ in range(3)]
    priorities.round_open(round=round_, actor=facilitator)
    statuses = []
    for voter in voters:
        client = Client()
        client.force_login(voter.user)
        response = client.post(f"/api/priorities/rounds/{round_.pk}/ballot", {"marks": ["option-1"]},
                               content_type="application/json", REMOTE_ADDR="198.51.100.99")
        statuses.append(response.status_code)

    assert statuses == [200, 200, 429], statuses
    assert Ballot.objects.filter(round=round_).count() == 2


def test_the_twenty_first_sign_up_from_one_address_in_five_minutes_is_refused(fresh_cache, db):
    from innovatorium.people.models import User

    def sign_up(i: int):  # noqa: ANN202
        return Client().post(reverse("account_signup"), {
            "email": f"new{i}@example.org", "password1": "a-long-new-password-9", "password2": "a-long-new-password-9",
        }, REMOTE_ADDR="192.0.2.200")

    for i in range(20):
        assert sign_up(i).status_code == 302
    refused = sign_up(20)

    assert refused.status_code == 429
    assert User.objects.count() == 20
