"""Needs pages: the list, a challenge, raising one, supporting it, and facilitators moving it on."""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovatorium.challenges import selectors, services
from innovatorium.challenges.forms import FilterForm, RaiseChallengeForm, ResponseForm, StatusForm
from innovatorium.challenges.models import Challenge
from innovatorium.core.forms import add_service_errors as _form_errors
from innovatorium.core.permissions import acting_person, public, requires
from innovatorium.networks.models import Network

PER_PAGE = 20


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _challenge(request: HttpRequest, network_slug: str, challenge_slug: str) -> Challenge:
    return selectors.challenge_get(network_slug=network_slug, challenge_slug=challenge_slug)



def _crumbs(network: Network, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(network.name, network.get_absolute_url()),
            ("Needs", reverse("challenges:list", kwargs={"network_slug": network.slug})), *extra]


def _text_search(network: Network, filters: dict[str, str], page: int) -> tuple[list[int], int, dict[int, str]] | None:
    """Matching ids in rank order, the total and highlighted snippets, when the search app is installed."""
    try:
        from innovatorium.search.selectors import search
    except ImportError:
        return None
    results = search(
        kind="challenge", query=filters["q"],
        filters={k: [v] for k, v in filters.items() if k in ("status", "care_setting", "clinical_area")},
        network_slug=network.slug, page=page, per_page=PER_PAGE,
    )
    return [h.object_id for h in results.hits], results.total, {h.object_id: h.snippet for h in results.hits}


@public
@require_GET
def challenge_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = FilterForm(request.GET or None)
    filters = form.filters()
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    constituencies = selectors.network_constituencies(network=network)
    snippets: dict[int, str] = {}
    searched = _text_search(network, filters, page) if filters.get("q") else None
    if searched is not None:
        ids, total, snippets = searched
        page_rows = selectors.challenges_for_network(network=network).filter(pk__in=ids)
        by_id = {c.pk: c for c in selectors.with_support_counts(page_rows, constituencies)}
        challenges = [by_id[i] for i in ids if i in by_id]
    else:
        queryset = selectors.challenges_for_network(
            network=network,
            status=[filters["status"]] if "status" in filters else (),
            care_setting=[filters["care_setting"]] if "care_setting" in filters else (),
            clinical_area=[filters["clinical_area"]] if "clinical_area" in filters else (),
            text=filters.get("q", ""),
        )
        total = queryset.count()
        page = min(page, max(1, math.ceil(total / PER_PAGE)))
        annotated = selectors.with_support_counts(queryset, constituencies)
        challenges = list(annotated[(page - 1) * PER_PAGE: page * PER_PAGE]) if total else []
    pages = max(1, math.ceil(total / PER_PAGE))
    rows = [
        {"challenge": c, "counts": selectors.support_counts(c, constituencies), "snippet": snippets.get(c.pk, "")}
        for c in challenges
    ]
    query = {k: v for k, v in filters.items()}
    return render(request, "challenges/list.html", {
        "network": network, "form": form, "rows": rows, "total": total, "filtered": bool(filters),
        "page": page, "pages": pages,
        "previous_url": "?" + urlencode({**query, "page": page - 1}) if page > 1 else "",
        "next_url": "?" + urlencode({**query, "page": page + 1}) if page < pages else "",
        "crumbs": [(network.name, network.get_absolute_url())],
    })


def _support_context(request: HttpRequest, challenge: Challenge) -> dict[str, Any]:
    person = acting_person(request)
    counts = selectors.challenge_support_counts(challenge=challenge)
    member_state = "anonymous"
    if person is not None:
        try:
            services.counted_membership(person=person, network=challenge.network)
        except services.NotAMember as exc:
            member_state = "pending" if exc.pending else "not_member"
        else:
            member_state = "member"
    return {
        "challenge": challenge, "network": challenge.network, "counts": counts,
        "support_total": sum(c.count for c in counts),
        "supporting": selectors.is_supporting(challenge=challenge, person=person),
        "member_state": member_state, "supportable": challenge.status in services.SUPPORTABLE,
    }


@public
@require_GET
def challenge_detail(request: HttpRequest, network_slug: str, challenge_slug: str) -> HttpResponse:
    challenge = _challenge(request, network_slug, challenge_slug)
    context = _support_context(request, challenge)
    can_facilitate = request.user.has_perm("challenges.respond_challenge", challenge)
    context.update({
        "responses": selectors.challenge_responses(challenge=challenge),
        "history": selectors.challenge_history(challenge=challenge),
        "can_facilitate": can_facilitate,
        "response_form": ResponseForm() if can_facilitate else None,
        "crumbs": _crumbs(challenge.network),
    })
    return render(request, "challenges/detail.html", context)


def _after_support(request: HttpRequest, challenge: Challenge) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        return render(request, "challenges/detail.html#support-panel", _support_context(request, challenge))
    return redirect(challenge)


def _support_or_withdraw(request: HttpRequest, challenge: Challenge, *, withdraw: bool) -> HttpResponse:
    """Messages are for full page loads; an htmx swap shows the new state in the panel itself."""
    person = request.user.person
    htmx = request.headers.get("HX-Request") == "true"
    try:
        if withdraw:
            services.challenge_withdraw_support(challenge=challenge, actor=person)
        else:
            services.challenge_support(challenge=challenge, actor=person)
    except services.NotAMember as exc:
        if htmx or exc.pending:
            if not htmx:
                messages.info(request, str(exc))
            return _after_support(request, challenge)
        messages.info(request, str(exc))
        return redirect("networks:join", network_slug=challenge.network.slug)
    except ValidationError as exc:
        if not htmx:
            messages.info(request, " ".join(exc.messages))
    else:
        if not htmx:
            done = "Your support was withdrawn." if withdraw else "Thank you: you support this need."
            messages.success(request, done)
    return _after_support(request, challenge)


@requires("challenges.support_challenge", obj=_challenge)
@require_POST
def challenge_support(request: HttpRequest, network_slug: str, challenge_slug: str) -> HttpResponse:
    return _support_or_withdraw(request, _challenge(request, network_slug, challenge_slug), withdraw=False)


@requires("challenges.support_challenge", obj=_challenge)
@require_POST
def challenge_withdraw(request: HttpRequest, network_slug: str, challenge_slug: str) -> HttpResponse:
    return _support_or_withdraw(request, _challenge(request, network_slug, challenge_slug), withdraw=True)


@requires("challenges.raise_challenge", obj=_network)
@require_http_methods(["GET", "POST"])
def challenge_raise(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    try:
        membership = services.counted_membership(person=request.user.person, network=network)
    except services.NotAMember as exc:
        return render(request, "challenges/join_first.html", {
            "network": network, "reason": str(exc), "pending": exc.pending, "crumbs": _crumbs(network),
        })
    form = RaiseChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            challenge = services.challenge_raise(
                network=network, actor=request.user.person, title=data["title"], description=data["description"],
                who_is_affected=data["who_is_affected"], people_affected=data["people_affected"],
                care_setting=data["care_setting"] or None, clinical_area=data["clinical_area"] or None,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Thank you. Your need is now public, and members can support it.")
            return redirect(challenge)
    return render(request, "challenges/raise.html", {
        "network": network, "form": form, "membership": membership, "limits": services.LIMITS,
        "crumbs": _crumbs(network),
    })


@requires("challenges.respond_challenge", obj=_challenge)
@require_http_methods(["GET", "POST"])
def challenge_respond(request: HttpRequest, network_slug: str, challenge_slug: str) -> HttpResponse:
    challenge = _challenge(request, network_slug, challenge_slug)
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.facilitator_respond(challenge=challenge, actor=request.user.person, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Your response is published on the need.")
            return redirect(challenge)
    return render(request, "challenges/respond.html", {
        "network": challenge.network, "challenge": challenge, "form": form,
        "crumbs": _crumbs(challenge.network, (challenge.title, challenge.get_absolute_url())),
    })


@requires("challenges.change_status", obj=_challenge)
@require_http_methods(["GET", "POST"])
def challenge_status(request: HttpRequest, network_slug: str, challenge_slug: str) -> HttpResponse:
    challenge = _challenge(request, network_slug, challenge_slug)
    form = StatusForm(request.POST or None, initial={"status": challenge.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_set_status(
                challenge=challenge, actor=request.user.person, status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"The need is now “{challenge.get_status_display()}”.")
            return redirect(challenge)
    return render(request, "challenges/status.html", {
        "network": challenge.network, "challenge": challenge, "form": form,
        "crumbs": _crumbs(challenge.network, (challenge.title, challenge.get_absolute_url())),
    })
