"""Events pages: the list, an event, registering and cancelling, and the organisers' pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovatorium.core import ratelimit
from innovatorium.core.forms import add_service_errors as _form_errors
from innovatorium.core.permissions import acting_person as _person
from innovatorium.core.permissions import public, requires
from innovatorium.events import ical, selectors, services
from innovatorium.events.forms import CancelEventForm, EventForm, MinutesForm, RegisterForm, SpeakerForm
from innovatorium.events.models import Event, EventStatus, RegistrationStatus
from innovatorium.networks.models import Network

UPCOMING_LIMIT = 100
PAST_LIMIT = 50


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _event(request: HttpRequest, network_slug: str, event_slug: str) -> Event:
    return selectors.event_get(network_slug=network_slug, event_slug=event_slug)


def _visible_event(request: HttpRequest, network_slug: str, event_slug: str) -> Event:
    """Drafts are 404 to everyone but those who may organise them."""
    event = _event(request, network_slug, event_slug)
    if event.status == EventStatus.DRAFT and not request.user.has_perm("events.organise_event", event):
        raise Http404("No such event.")
    return event



def _crumbs(network: Network, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(network.name, network.get_absolute_url()),
            ("Events", reverse("events:list", kwargs={"network_slug": network.slug})), *extra]


@public
@require_GET
def event_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    upcoming = list(selectors.events_upcoming(network=network)[:UPCOMING_LIMIT])
    past = list(selectors.events_past(network=network)[:PAST_LIMIT])
    return render(request, "events/list.html", {
        "network": network, "upcoming": upcoming, "past": past,
        "can_create": request.user.has_perm("events.create_event", network),
        "crumbs": [(network.name, network.get_absolute_url())],
    })


@public
@require_GET
def network_calendar(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    events = selectors.events_public(network=network).order_by("starts_at", "pk")
    body = ical.calendar_for(events, request=request, name=f"{network.name} events")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{network.slug}-events.ics"'
    return response


@public
@require_GET
def event_calendar(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _visible_event(request, network_slug, event_slug)
    body = ical.calendar_for([event], request=request, name=event.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _detail_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    speakers = selectors.event_speakers(event=event)
    person = _person(request)
    minutes = getattr(event, "minutes", None) if hasattr(event, "minutes") else None
    return {
        "network": event.network, "event": event, "speakers": speakers,
        "has_patient_speaker": any(s.is_patient_or_public for s in speakers),
        "registration": selectors.registration_of(event=event, person=person),
        "places_left": selectors.places_left(event),
        "can_organise": request.user.has_perm("events.organise_event", event),
        "minutes": minutes,
        "advanced": list(minutes.challenges_advanced.select_related("network")) if minutes else [],
        "projects_advanced": list(minutes.projects_advanced.select_related("network")) if minutes else [],
        "crumbs": _crumbs(event.network),
    }


@public
@require_GET
def event_detail(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _visible_event(request, network_slug, event_slug)
    return render(request, "events/detail.html", _detail_context(request, event))


@requires("events.create_event", obj=_network)
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    initial = {"programme": request.GET["programme"]} if "programme" in request.GET else None
    form = EventForm(request.POST if request.method == "POST" else None, network=network, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(network=network, actor=request.user.person, **form.service_fields())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "The event is saved as a draft. Add speakers, then publish it.")
            return redirect("events:organise", network_slug=network.slug, event_slug=event.slug)
    return render(request, "events/form.html", {
        "network": network, "form": form, "heading": "Set up an event", "button": "Save as a draft",
        "crumbs": _crumbs(network),
    })


@requires("events.register_event", obj=_visible_event)
@require_http_methods(["GET", "POST"])
def event_register(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _visible_event(request, network_slug, event_slug)
    person = request.user.person
    existing = selectors.registration_of(event=event, person=person)
    form = RegisterForm(request.POST if request.method == "POST" else None,
                        initial={"access_needs": person.access_needs})
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check(request, ratelimit.POSTS, person=person)
            registration = services.register(event=event, actor=person,
                                             access_needs=form.cleaned_data["access_needs"])
        except ValidationError as exc:
            messages.info(request, " ".join(exc.messages))
            return redirect(event)
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, "Your place is confirmed. We have emailed you the details.")
        else:
            messages.success(request, "The event is full, so you are on the wait list. "
                                      "We will email you if a place comes free.")
        return redirect(event)
    return render(request, "events/register.html", {
        "network": event.network, "event": event, "form": form, "existing": existing,
        "places_left": selectors.places_left(event),
        "crumbs": _crumbs(event.network, (event.title, event.get_absolute_url())),
    })


@requires("events.register_event", obj=_visible_event)
@require_POST
def registration_cancel(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _visible_event(request, network_slug, event_slug)
    registration = selectors.registration_of(event=event, person=request.user.person)
    if registration is None:
        messages.info(request, "You are not registered for this event.")
        return redirect(event)
    try:
        services.cancel_registration(registration=registration, actor=request.user.person)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your registration is cancelled. Thank you for letting us know.")
    return redirect(event)


@requires("events.organise_event", obj=_event)
@require_GET
def event_organise(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _event(request, network_slug, event_slug)
    registrations = list(selectors.registrations_for_organisers(event=event))
    return render(request, "events/organise.html", {
        "network": event.network, "event": event, "registrations": registrations,
        "speakers": selectors.event_speakers(event=event),
        "with_access_needs": sum(1 for r in registrations if r.access_needs and r.status != "cancelled"),
        "speaker_form": SpeakerForm(), "cancel_form": CancelEventForm(),
        "crumbs": _crumbs(event.network, (event.title, event.get_absolute_url())),
    })


@requires("events.organise_event", obj=_event)
@require_POST
def event_publish(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _event(request, network_slug, event_slug)
    try:
        services.event_publish(event=event, actor=request.user.person)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
        return redirect("events:organise", network_slug=network_slug, event_slug=event_slug)
    messages.success(request, "The event is published: anyone can see it and register.")
    return redirect(event)


@requires("events.organise_event", obj=_event)
@require_POST
def event_cancel(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _event(request, network_slug, event_slug)
    form = CancelEventForm(request.POST)
    if form.is_valid():
        try:
            services.event_cancel(event=event, actor=request.user.person, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.info(request, " ".join(exc.messages))
        else:
            messages.success(request, "The event is cancelled.")
            return redirect(event)
    else:
        messages.info(request, "Say why the event is cancelled.")
    return redirect("events:organise", network_slug=network_slug, event_slug=event_slug)


@requires("events.organise_event", obj=_event)
@require_POST
def speaker_add(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _event(request, network_slug, event_slug)
    form = SpeakerForm(request.POST)
    if form.is_valid():
        try:
            services.speaker_add(event=event, actor=request.user.person, **form.cleaned_data)
        except ValidationError as exc:
            messages.info(request, " ".join(exc.messages))
        else:
            messages.success(request, "Speaker added.")
    else:
        messages.info(request, "Give the speaker's name and the partner group they speak for.")
    return redirect("events:organise", network_slug=network_slug, event_slug=event_slug)


@requires("events.organise_event", obj=_event)
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _event(request, network_slug, event_slug)
    confirmed = [r for r in selectors.registrations_for_organisers(event=event)
                 if r.status == RegistrationStatus.CONFIRMED]
    error = ""
    if request.method == "POST":
        try:
            ids = {int(v) for v in request.POST.getlist("attended")}
            services.mark_attendance(event=event, actor=request.user.person, attended=ids)
        except ValueError:
            error = "Choose people from the list."
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Attendance saved.")
            return redirect("events:organise", network_slug=network_slug, event_slug=event_slug)
    return render(request, "events/attendance.html", {
        "network": event.network, "event": event, "confirmed": confirmed, "error": error,
        "crumbs": _crumbs(event.network, (event.title, event.get_absolute_url())),
    })


@requires("events.organise_event", obj=_event)
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _event(request, network_slug, event_slug)
    existing = getattr(event, "minutes", None) if hasattr(event, "minutes") else None
    initial = ({"text": existing.text, "challenges": list(existing.challenges_advanced.all()),
                "projects": list(existing.projects_advanced.all())} if existing else None)
    form = MinutesForm(request.POST if request.method == "POST" else None, initial=initial, network=event.network)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_publish(event=event, actor=request.user.person, text=form.cleaned_data["text"],
                                     challenges=form.cleaned_data["challenges"],
                                     projects=form.cleaned_data["projects"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "The minutes are published on the event page.")
            return redirect(event)
    return render(request, "events/minutes.html", {
        "network": event.network, "event": event, "form": form,
        "crumbs": _crumbs(event.network, (event.title, event.get_absolute_url())),
    })


@requires("events.organise_event", obj=_event)
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, network_slug: str, event_slug: str) -> HttpResponse:
    event = _event(request, network_slug, event_slug)
    initial = {f: getattr(event, f) for f in ("title", "kind", "description", "place", "online_link",
                                              "accessibility", "capacity")}
    initial["starts_at"] = timezone.localtime(event.starts_at)
    initial["ends_at"] = timezone.localtime(event.ends_at)
    initial["programme"] = event.programme.slug if event.programme else ""
    form = EventForm(request.POST if request.method == "POST" else None, network=event.network, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, actor=request.user.person, **form.service_fields())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "The event is updated. The public record keeps what it said before.")
            return redirect("events:organise", network_slug=network_slug, event_slug=event_slug)
    return render(request, "events/form.html", {
        "network": event.network, "form": form, "event": event, "heading": "Change the event's details",
        "button": "Save changes",
        "crumbs": _crumbs(event.network, (event.title, event.get_absolute_url())),
    })
