"""Network pages: the network's front page, joining it, and its constituencies."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from innovatorium.core.forms import add_service_errors
from innovatorium.core.permissions import public, requires
from innovatorium.networks import selectors, services
from innovatorium.networks.forms import ConstituencyForm, JoinForm
from innovatorium.networks.models import Constituency, Network
from innovatorium.people import services as people_services
from innovatorium.people.models import Membership


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _constituency(request: HttpRequest, network_slug: str, constituency_slug: str) -> Constituency:
    return get_object_or_404(Constituency.objects.select_related("network"), network__slug=network_slug,
                             slug=constituency_slug)


@public
@require_GET
def network_detail(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    summary = selectors.network_summary(network=network)
    my_membership = None
    if request.user.is_authenticated and getattr(request.user, "person", None):
        my_membership = (
            Membership.objects.filter(person=request.user.person, network=network)
            .select_related("constituency")
            .first()
        )
    return render(
        request,
        "networks/detail.html",
        {
            "network": network,
            "summary": summary,
            "named_staff": selectors.network_named_staff(network=network),
            "my_membership": my_membership,
            "crumbs": [("All networks", reverse("core:home"))],
        },
    )


@requires("networks.join_network", obj=_network)
@require_http_methods(["GET", "POST"])
def network_join(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    person = request.user.person
    existing = Membership.objects.filter(person=person, network=network).first()
    if existing:
        messages.info(request, f"You are already a member of {network.name}.")
        return redirect(network)
    form = JoinForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            membership = people_services.membership_join(
                person=person, network=network, constituency=form.cleaned_data["constituency"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if membership.is_counted:
                messages.success(request, f"You have joined {network.name} as {membership.constituency.name}.")
            else:
                messages.info(
                    request,
                    f"You have joined {network.name}. A facilitator will confirm that you belong to "
                    f"{membership.constituency.name}; until then you are not counted in its figures.",
                )
            return redirect(network)
    return render(request, "networks/join.html", {"network": network, "form": form})


@requires("networks.configure_constituencies", obj=_network)
@require_http_methods(["GET", "POST"])
def constituency_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = ConstituencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.constituency_create(
                network=network, actor=request.user.person, name=data["name"], kind=data["kind"],
                description=data["description"], requires_verification=data["requires_verification"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added the constituency “{data['name']}”.")
            return redirect("networks:constituencies", network_slug=network.slug)
    summary = selectors.network_summary(network=network)
    return render(request, "networks/constituencies.html", {"network": network, "summary": summary, "form": form})


@requires("networks.configure_constituencies", obj=_constituency)
@require_http_methods(["GET", "POST"])
def constituency_edit(request: HttpRequest, network_slug: str, constituency_slug: str) -> HttpResponse:
    constituency = _constituency(request, network_slug, constituency_slug)
    if constituency.network.slug != network_slug:
        raise Http404
    initial = {
        "name": constituency.name, "kind": constituency.kind, "description": constituency.description,
        "requires_verification": constituency.requires_verification, "is_active": constituency.is_active,
    }
    form = ConstituencyForm(request.POST or None, initial=initial)
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.constituency_update(
                constituency=constituency, actor=request.user.person, name=data["name"],
                description=data["description"], requires_verification=data["requires_verification"],
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved “{constituency.name}”.")
            return redirect("networks:constituencies", network_slug=network_slug)
    return render(
        request, "networks/constituency_edit.html",
        {"network": constituency.network, "constituency": constituency, "form": form},
    )


@public
@require_GET
def take_part(request: HttpRequest, network_slug: str) -> HttpResponse:
    """One place to see every way to have a say: conversations and priority-setting rounds."""
    from innovatorium.deliberation.selectors import conversations_for_network
    from innovatorium.priorities.selectors import rounds_for_network

    network = _network(request, network_slug)
    return render(
        request, "networks/take_part.html",
        {
            "network": network,
            "conversations": list(conversations_for_network(network=network).order_by("-pk")[:20]),
            "rounds": list(rounds_for_network(network=network).order_by("-pk")[:20]),
            "crumbs": [("All networks", reverse("core:home")), (network.name, network.get_absolute_url())],
        },
    )
