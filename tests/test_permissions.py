"""Who may reach what: every view declares a rule, and a matrix of view × persona pins the answers.

Personas (conftest.py): anonymous visitor, patient member, industry member, facilitator of `network`, and an
admin of `other_network` who must have no power here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
import rules
from django.http import HttpResponse
from django.urls import path, reverse

from innovatorium.core.permissions import PUBLIC, public
from innovatorium.core.urlwalk import Route, walk_urls
from innovatorium.factories import member
from innovatorium.networks.models import Constituency
from innovatorium.people.models import Membership, Verification
from innovatorium.record.models import RecordEntry

PERSONAS = ("anonymous", "patient", "industry_member", "facilitator", "other_admin")
LOGIN = "302 to sign in"
ELSEWHERE = "302 elsewhere"
# Code that is not ours and brings its own access control.
THIRD_PARTY_MODULES = ("allauth.", "django.contrib.admin", "django.contrib.contenttypes", "django.views.generic")
# The apps this matrix covers; other apps keep their own matrices beside their views.
MATRIX_NAMESPACES = {"core", "people", "record", "networks"}


def _third_party(route: Route) -> bool:
    return route.is_ninja or route.module.startswith(THIRD_PARTY_MODULES)


# --- Every view declares a rule --------------------------------------------------------------------


def _undeclared(urlconf: Any = None) -> list[str]:
    return [
        r.label for r in walk_urls(urlconf)
        if not _third_party(r) and not getattr(r.callback, "permission_rule", None)
    ]


def test_every_view_of_ours_declares_a_permission_rule():
    assert _undeclared() == []


def test_every_declared_rule_is_a_known_permission():
    declared = {getattr(r.callback, "permission_rule", None) for r in walk_urls() if r.is_ours}
    declared.discard(None)

    unknown = [rule for rule in declared if rule != PUBLIC and not rules.perm_exists(rule)]

    assert unknown == []


def _a_view_without_a_rule(request: Any) -> HttpResponse:
    return HttpResponse("nobody checked who may see this")


@public
def _a_public_view(request: Any) -> HttpResponse:
    return HttpResponse("anyone may see this")


def test_the_rule_check_catches_a_view_without_a_rule():
    urlconf = ModuleType("a_urlconf_with_a_forgotten_rule")
    urlconf.urlpatterns = [path("fine/", _a_public_view), path("forgot/", _a_view_without_a_rule)]

    assert _undeclared(urlconf) == ["/forgot/"]


# --- The matrix ------------------------------------------------------------------------------------


@dataclass
class World:
    network: Any
    other_network: Any
    patient_membership: Membership
    pending_membership: Membership


@pytest.fixture
def world(network, other_network, patient, industry_member, facilitator, other_admin) -> World:
    return World(
        network=network,
        other_network=other_network,
        patient_membership=Membership.objects.get(person=patient, network=network),
        pending_membership=member(network, "nhs", verification=Verification.PENDING),
    )


@dataclass
class Row:
    name: str
    method: str
    kwargs: Callable[[World], dict[str, Any]]
    expected: tuple[Any, ...]  # one answer per persona, in PERSONAS order
    data: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        assert len(self.expected) == len(PERSONAS), self.name


def _none(w: World) -> dict[str, Any]:
    return {}


def _net(w: World) -> dict[str, Any]:
    return {"network_slug": w.network.slug}


EVERYONE = (200,) * 5
SIGNED_IN = (LOGIN, 200, 200, 200, 200)
STAFF_HERE = (LOGIN, 403, 403, 200, 403)

MATRIX = [
    Row("core:home", "get", _none, EVERYONE),
    Row("core:privacy", "get", _none, EVERYONE),
    Row("core:healthz", "get", _none, EVERYONE),
    Row("core:readyz", "get", _none, EVERYONE),
    Row("record:list", "get", _none, EVERYONE),
    Row("record:verify", "get", _none, EVERYONE),
    Row("record:network", "get", _net, EVERYONE),
    Row("networks:detail", "get", _net, EVERYONE),
    Row("networks:take_part", "get", _net, EVERYONE),
    # Members are sent back to the network page ("you are already a member"); the outsider may join.
    Row("networks:join", "get", _net, (LOGIN, ELSEWHERE, ELSEWHERE, ELSEWHERE, 200)),
    Row("networks:constituencies", "get", _net, STAFF_HERE),
    Row("networks:constituency_edit", "get", lambda w: {**_net(w), "constituency_slug": "patients-public"},
        STAFF_HERE),
    Row("people:profile", "get", _none, SIGNED_IN),
    Row("people:download_data", "get", _none, SIGNED_IN),
    Row("people:delete_account", "get", _none, SIGNED_IN),
    # Someone else's membership is "not found", never "forbidden".
    Row("people:leave_membership", "get", lambda w: {"membership_id": w.patient_membership.pk},
        (LOGIN, 405, 404, 404, 404)),
    Row("people:leave_membership", "post", lambda w: {"membership_id": w.patient_membership.pk},
        (LOGIN, ELSEWHERE, 404, 404, 404)),
    Row("people:facilitate", "get", _none, (LOGIN, 403, 403, 200, 200)),
    Row("people:declarations", "get", _net, EVERYONE),
    # Only counted members of this network may declare; the other network's admin is not one.
    Row("people:declare", "get", _net, (LOGIN, 200, 200, 200, 403)),
    Row("people:members", "get", _net, STAFF_HERE),
    # Roles are changed by the network's admins only: a facilitator may not make themselves admin.
    Row("people:change_role", "post", lambda w: {**_net(w), "membership_id": w.patient_membership.pk},
        (LOGIN, 403, 403, 403, 403), data={"role": "admin"}),
    Row("people:verification_queue", "get", _net, STAFF_HERE),
    Row("people:verify_membership", "get", lambda w: {**_net(w), "membership_id": w.pending_membership.pk},
        (LOGIN, 403, 403, 405, 403)),
    Row("people:verify_membership", "post", lambda w: {**_net(w), "membership_id": w.pending_membership.pk},
        (LOGIN, 403, 403, ELSEWHERE, 403), data={"decision": "approve"}),
]

CASES = [
    pytest.param(row, persona, expected, id=f"{row.name}-{row.method}-{persona}")
    for row in MATRIX
    for persona, expected in zip(PERSONAS, row.expected, strict=True)
]


@pytest.mark.parametrize(("row", "persona", "expected"), CASES)
def test_the_permission_matrix(request, client, world, row, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona).user)
    url = reverse(row.name, kwargs=row.kwargs(world))

    response = getattr(client, row.method)(url, row.data or {})

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
    elif expected == ELSEWHERE:
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


def test_the_matrix_covers_every_view_of_the_foundation_apps():
    in_matrix = {row.name for row in MATRIX}
    served = {r.qualified_name for r in walk_urls() if r.is_ours and r.namespace in MATRIX_NAMESPACES}

    assert served - in_matrix == set()
    assert in_matrix - served == set()  # no stale rows for views that are gone


# --- Every app: the rules hold whatever the view ---------------------------------------------------


def _routes_with_rule(predicate: Callable[[str], bool]) -> list[Route]:
    return [r for r in walk_urls() if r.is_ours and predicate(getattr(r.callback, "permission_rule", ""))]


def test_every_protected_view_sends_an_anonymous_visitor_to_sign_in(client, network):
    protected = _routes_with_rule(lambda rule: rule not in ("", PUBLIC))
    sign_in_pages = (reverse("account_login"), reverse("admin:login"))  # views inside the admin use its sign-in
    answers = {}
    for route in protected:
        # Unknown arguments get "1": the sign-in redirect comes before any lookup.
        url = route.path({"network_slug": network.slug}, fallback="1")
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            location = response.headers.get("Location", "")
            if not (response.status_code == 302 and location.startswith(sign_in_pages)):
                answers[f"{method.upper()} {url}"] = (response.status_code, location)

    assert protected
    assert answers == {}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_public_page_about_a_network_answers_everyone(request, client, network, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona).user)
    pages = [
        r for r in _routes_with_rule(lambda rule: rule == PUBLIC)
        if set(r.kwarg_names) <= {"network_slug"}
    ]

    answers = {r.label: client.get(r.path({"network_slug": network.slug})).status_code for r in pages}

    assert pages
    assert {label: status for label, status in answers.items() if status != 200} == {}


# --- Trying to break the rules ---------------------------------------------------------------------


def _verify_url(network_slug: str, membership: Membership) -> str:
    return reverse("people:verify_membership", kwargs={"network_slug": network_slug, "membership_id": membership.pk})


def test_another_networks_admin_cannot_verify_this_networks_members(client_for, world, other_admin):
    entries = RecordEntry.objects.count()

    response = client_for(other_admin).post(
        _verify_url(world.network.slug, world.pending_membership), {"decision": "approve"}
    )

    assert response.status_code == 403
    world.pending_membership.refresh_from_db()
    assert world.pending_membership.verification == Verification.PENDING
    assert RecordEntry.objects.count() == entries


def test_another_networks_admin_cannot_verify_through_their_own_networks_address(client_for, world, other_admin):
    response = client_for(other_admin).post(
        _verify_url(world.other_network.slug, world.pending_membership), {"decision": "approve"}
    )

    assert response.status_code == 404
    world.pending_membership.refresh_from_db()
    assert world.pending_membership.verification == Verification.PENDING


def test_a_facilitator_cannot_verify_another_networks_member_through_their_own_address(
    client_for, world, facilitator
):
    elsewhere = member(world.other_network, "industry", verification=Verification.PENDING)

    response = client_for(facilitator).post(_verify_url(world.network.slug, elsewhere), {"decision": "approve"})

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.verification == Verification.PENDING


def test_another_networks_admin_cannot_reach_this_networks_facilitate_pages(client_for, world, other_admin):
    client = client_for(other_admin)
    urls = [
        reverse("networks:constituencies", kwargs=_net(world)),
        reverse("networks:constituency_edit", kwargs={**_net(world), "constituency_slug": "patients-public"}),
        reverse("people:verification_queue", kwargs=_net(world)),
    ]

    assert [client.get(url).status_code for url in urls] == [403, 403, 403]


def test_another_networks_admin_cannot_change_this_networks_constituencies(client_for, world, other_admin):
    client = client_for(other_admin)
    before = list(Constituency.objects.filter(network=world.network).values_list("slug", "name"))

    added = client.post(reverse("networks:constituencies", kwargs=_net(world)),
                        {"name": "Carers", "kind": "other", "is_active": "on"})
    renamed = client.post(
        reverse("networks:constituency_edit", kwargs={**_net(world), "constituency_slug": "patients-public"}),
        {"name": "Renamed", "kind": "patients_public", "is_active": "on"},
    )

    assert (added.status_code, renamed.status_code) == (403, 403)
    assert list(Constituency.objects.filter(network=world.network).values_list("slug", "name")) == before


def test_a_patient_cannot_verify_a_member(client_for, world, patient):
    response = client_for(patient).post(
        _verify_url(world.network.slug, world.pending_membership), {"decision": "approve"}
    )

    assert response.status_code == 403
    world.pending_membership.refresh_from_db()
    assert world.pending_membership.verification == Verification.PENDING


def test_a_member_cannot_leave_someone_elses_membership(client_for, world, industry_member):
    url = reverse("people:leave_membership", kwargs={"membership_id": world.patient_membership.pk})

    response = client_for(industry_member).post(url)

    assert response.status_code == 404
    assert Membership.objects.filter(pk=world.patient_membership.pk).exists()


def test_a_facilitator_cannot_verify_their_own_membership(client_for, world, facilitator):
    own = Membership.objects.get(person=facilitator, network=world.network)
    own.verification = Verification.PENDING
    own.save()

    response = client_for(facilitator).post(_verify_url(world.network.slug, own), {"decision": "approve"})

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.verification == Verification.PENDING
    assert own.verified_by is None


def test_a_facilitator_verifies_a_pending_member_of_their_network(client_for, world, facilitator):
    # The positive case, so the refusals above are refusals and not a broken view.
    entries = RecordEntry.objects.count()

    response = client_for(facilitator).post(
        _verify_url(world.network.slug, world.pending_membership), {"decision": "approve"}
    )

    assert response.status_code == 302
    world.pending_membership.refresh_from_db()
    assert world.pending_membership.verification == Verification.VERIFIED
    assert world.pending_membership.verified_by == facilitator
    assert RecordEntry.objects.count() == entries + 1
