"""A person's own pages (profile, data, deletion) and the facilitators' verification queue."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovatorium.core.forms import add_service_errors
from innovatorium.core.permissions import public, requires
from innovatorium.networks.models import Network
from innovatorium.people import selectors, services
from innovatorium.people.forms import DeclarationForm, DeleteAccountForm, ProfileForm, RoleForm, VerificationForm
from innovatorium.people.models import Membership, Role


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _membership_in_network(request: HttpRequest, network_slug: str, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("network", "person", "constituency"),
        pk=membership_id, network__slug=network_slug,
    )


def _own_membership(request: HttpRequest, membership_id: int) -> Membership:
    # Someone else's membership is answered as "not found", never "forbidden".
    person = getattr(request.user, "person", None)
    return get_object_or_404(Membership.objects.select_related("network", "constituency"), pk=membership_id,
                             person=person)


@requires("people.manage_own_account")
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    initial = {
        "display_name": person.display_name, "show_name_publicly": person.show_name_publicly,
        "contact_consent": person.contact_consent, "access_needs": person.access_needs,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update_profile(person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your profile and privacy choices are saved.")
            return redirect("people:profile")
    return render(
        request, "people/profile.html",
        {"person": person, "form": form, "memberships": selectors.person_memberships(person=person)},
    )


@requires("people.manage_own_account")
@require_GET
def download_data(request: HttpRequest) -> HttpResponse:
    data = selectors.person_export(person=request.user.person)
    body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="innovatorium-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@requires("people.manage_own_account")
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = request.user.person
        pseudonym = person.pseudonym
        logout(request)
        services.person_erase(person=person)
        messages.info(
            request,
            "Your account is deleted and your personal data erased. "
            f"Public-record entries now show only “{pseudonym}”.",
        )
        return redirect("core:home")
    return render(request, "people/delete_account.html", {"form": form})


@requires("people.leave_membership", obj=_own_membership)
@require_POST
def leave_membership(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = _own_membership(request, membership_id)
    network_name = membership.network.name
    services.membership_leave(membership=membership, actor=request.user.person)
    messages.info(request, f"You have left {network_name}.")
    return redirect("people:profile")


@requires("people.view_facilitate_area")
@require_GET
def facilitate(request: HttpRequest) -> HttpResponse:
    networks = list(selectors.staff_networks(person=request.user.person))
    if request.user.is_superuser and not networks:
        networks = list(Network.objects.order_by("name"))
    return render(request, "people/facilitate.html", {"networks": networks})


@requires("people.verify_membership", obj=_network)
@require_GET
def verification_queue(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    return render(
        request, "people/verification_queue.html",
        {"network": network, "pending": selectors.pending_verifications(network=network), "form": VerificationForm()},
    )


@requires("people.verify_membership", obj=_membership_in_network)
@require_POST
def verify_membership(request: HttpRequest, network_slug: str, membership_id: int) -> HttpResponse:
    membership = _membership_in_network(request, network_slug, membership_id)
    form = VerificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether you can confirm this member's group.")
        return redirect("people:verification_queue", network_slug=network_slug)
    try:
        services.membership_verify(
            membership=membership, actor=request.user.person,
            approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Recorded your decision for {membership.person.public_name}.")
    return redirect("people:verification_queue", network_slug=network_slug)


@public
@require_GET
def declarations(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    can_declare = request.user.is_authenticated and request.user.has_perm("people.declare_interest", network)
    return render(
        request, "people/declarations.html",
        {"network": network, "declarations": selectors.network_declarations(network=network),
         "can_declare": can_declare},
    )


@requires("people.declare_interest", obj=_network)
@require_http_methods(["GET", "POST"])
def declare_interest(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_add(person=request.user.person, network=network, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your declaration of interest is published.")
            return redirect("people:declarations", network_slug=network.slug)
    return render(request, "people/declare.html", {"network": network, "form": form})


@requires("networks.facilitate_network", obj=_network)
@require_GET
def members(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    return render(
        request, "people/members.html",
        {"network": network, "members": selectors.network_members(network=network),
         "can_change_roles": request.user.has_perm("people.change_role", network), "roles": Role.choices},
    )


@requires("people.change_role", obj=_membership_in_network)
@require_POST
def change_role(request: HttpRequest, network_slug: str, membership_id: int) -> HttpResponse:
    membership = _membership_in_network(request, network_slug, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role from the list.")
    else:
        try:
            services.membership_set_role(membership=membership, actor=request.user.person,
                                         role=form.cleaned_data["role"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request, f"{membership.person.public_name} is now {membership.get_role_display().lower()}."
            )
    return redirect("people:members", network_slug=network_slug)
