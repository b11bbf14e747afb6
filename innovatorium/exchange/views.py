"""Exchange pages: offering an innovation to a need, brokering introductions, needs an innovation could meet,
an introduction's page, and the facilitators' dashboard. Matches on a need's page come from the template tag."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovatorium.atlas.models import Innovation, PublicationStatus
from innovatorium.challenges import selectors as challenge_selectors
from innovatorium.challenges.models import Challenge
from innovatorium.core.permissions import public, requires
from innovatorium.exchange import selectors, services
from innovatorium.exchange.forms import AdvanceForm, InterestForm, ProposeForm
from innovatorium.exchange.models import Introduction
from innovatorium.networks.models import Network


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _challenge(request: HttpRequest, network_slug: str, challenge_slug: str) -> Challenge:
    return challenge_selectors.challenge_get(network_slug=network_slug, challenge_slug=challenge_slug)


def _introduction(request: HttpRequest, network_slug: str, introduction_id: int) -> Introduction:
    return selectors.introduction_get(network_slug=network_slug, introduction_id=introduction_id)


def _errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _need_crumbs(challenge: Challenge) -> list[tuple[str, str]]:
    network = challenge.network
    return [(network.name, network.get_absolute_url()),
            ("Needs", reverse("challenges:list", kwargs={"network_slug": network.slug})),
            (challenge.title, challenge.get_absolute_url())]


@requires("exchange.express_interest", obj=_challenge)
@require_http_methods(["GET", "POST"])
def interest_express(request: HttpRequest, network_slug: str, challenge_slug: str) -> HttpResponse:
    challenge = _challenge(request, network_slug, challenge_slug)
    person = request.user.person
    innovations = selectors.innovations_for_innovator(person=person).exclude(interests__challenge=challenge)
    form = InterestForm(request.POST or None, innovations=innovations,
                        initial={"innovation": request.GET.get("innovation")})
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_express(challenge=challenge, innovation=form.cleaned_data["innovation"], actor=person,
                                      message=form.cleaned_data["message"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "Thank you. The network's facilitators can now see your offer.")
            return redirect(challenge)
    return render(request, "exchange/interest.html", {
        "challenge": challenge, "network": challenge.network, "form": form, "has_innovations": innovations.exists(),
        "crumbs": _need_crumbs(challenge),
    })


@requires("exchange.broker", obj=_challenge)
@require_POST
def introduction_propose(request: HttpRequest, network_slug: str, challenge_slug: str) -> HttpResponse:
    challenge = _challenge(request, network_slug, challenge_slug)
    form = ProposeForm(request.POST)
    innovation = None
    if form.is_valid():
        innovation = Innovation.objects.filter(
            pk=form.cleaned_data["innovation"], status=PublicationStatus.PUBLISHED
        ).select_related("network").first()
    if innovation is None:
        messages.error(request, "That innovation is not in the Atlas. Choose one of the possible innovations.")
        return redirect(challenge)
    try:
        introduction = services.introduction_propose(challenge=challenge, innovation=innovation,
                                                     actor=request.user.person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(challenge)
    messages.success(request, f"Introduction proposed between this need and {innovation.name}.")
    return redirect("exchange:introduction", network_slug=network_slug, introduction_id=introduction.pk)


def _introduction_context(request: HttpRequest, introduction: Introduction, form: AdvanceForm | None) -> dict:
    can_broker = request.user.has_perm("exchange.broker", introduction)
    if can_broker and form is None and introduction.is_open:
        form = AdvanceForm(introduction=introduction)
    challenge = introduction.challenge
    return {
        "introduction": introduction, "challenge": challenge, "innovation": introduction.innovation,
        "network": challenge.network, "history": selectors.introduction_history(introduction=introduction),
        "can_broker": can_broker, "form": form if can_broker else None,
        "crumbs": _need_crumbs(challenge),
    }


@public
@require_GET
def introduction_detail(request: HttpRequest, network_slug: str, introduction_id: int) -> HttpResponse:
    """Public, like the record it comes from: who was introduced to what, and how it went. Notes stay private."""
    introduction = _introduction(request, network_slug, introduction_id)
    return render(request, "exchange/introduction.html", _introduction_context(request, introduction, None))


@requires("exchange.broker", obj=_introduction)
@require_POST
def introduction_advance(request: HttpRequest, network_slug: str, introduction_id: int) -> HttpResponse:
    introduction = _introduction(request, network_slug, introduction_id)
    form = AdvanceForm(request.POST, introduction=introduction) if introduction.is_open else None
    if form is not None and form.is_valid():
        try:
            services.introduction_advance(introduction=introduction, actor=request.user.person,
                                          status=form.cleaned_data["status"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            introduction.refresh_from_db()
            messages.success(request, f"The introduction is now “{introduction.get_status_display()}”.")
            return redirect("exchange:introduction", network_slug=network_slug, introduction_id=introduction.pk)
    if form is None:
        messages.info(request, "This introduction is finished, so it cannot change.")
        return redirect("exchange:introduction", network_slug=network_slug, introduction_id=introduction.pk)
    return render(request, "exchange/introduction.html", _introduction_context(request, introduction, form),
                  status=200)


@public
@require_GET
def innovation_needs(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    """Needs a published innovation could meet. A page of its own, and (for htmx) the innovation page's section."""
    innovation = selectors.published_innovations().filter(network__slug=network_slug, slug=innovation_slug).first()
    if innovation is None:
        raise Http404("No published innovation here.")
    context = {
        "innovation": innovation, "network": innovation.network,
        "matches": selectors.matches_for_innovation(innovation=innovation),
        "crumbs": [(innovation.network.name, innovation.network.get_absolute_url()),
                   (innovation.name, innovation.get_absolute_url())],
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "exchange/includes/innovation_matches_list.html", context)
    return render(request, "exchange/innovation_needs.html", context)


@requires("exchange.view_dashboard", obj=_network)
@require_GET
def dashboard(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    return render(request, "exchange/dashboard.html", {
        "network": network, "dashboard": selectors.exchange_dashboard(network=network),
        "quiet_days": selectors.QUIET_AFTER.days,
        "crumbs": [(network.name, network.get_absolute_url()), ("Facilitate", reverse("people:facilitate"))],
    })
