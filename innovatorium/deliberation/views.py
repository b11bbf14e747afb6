"""Deliberation pages: the list, voting one statement at a time, adding a statement, the report, and the
facilitators' pages (open, moderate, close). Every page works without JavaScript; htmx swaps in the next
statement when it is there.

Signed out, a participant is this browser: a random token in a cookie, of which only a hash is stored.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovatorium.core import ratelimit
from innovatorium.core.forms import add_service_errors as _form_errors
from innovatorium.core.permissions import acting_person as _person
from innovatorium.core.permissions import public, requires
from innovatorium.deliberation import report, selectors, services
from innovatorium.deliberation.forms import ModerateForm, OpenConversationForm, StatementForm
from innovatorium.deliberation.models import AnalysisSnapshot, Conversation, Participant, Statement
from innovatorium.networks.models import Network

COOKIE = "innovatorium_take_part"
COOKIE_AGE = 365 * 24 * 3600
TOKEN_RE = re.compile(r"\A[A-Za-z0-9_-]{32,64}\Z")
VOTE_SAID = {"agree": "You agreed.", "disagree": "You disagreed.", "pass": "You passed."}


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _conversation(request: HttpRequest, network_slug: str, slug: str) -> Conversation:
    return selectors.conversation_get(network_slug=network_slug, slug=slug)


def _token(request: HttpRequest) -> str | None:
    token = request.COOKIES.get(COOKIE, "")
    return token if TOKEN_RE.match(token) else None


def _set_token(response: HttpResponse, token: str) -> HttpResponse:
    response.set_cookie(COOKIE, token, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
    return response


def _viewer(request: HttpRequest, conversation: Conversation) -> Participant | None:
    person = _person(request)
    if person is not None:
        return selectors.participant_find(conversation=conversation, person=person)
    token = _token(request)
    if token is None:
        return None
    return selectors.participant_find(
        conversation=conversation, anonymous_hash=services.browser_hash(conversation=conversation, token=token)
    )


def _crumbs(network: Network, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(network.name, network.get_absolute_url()),
            ("Conversations", reverse("deliberation:list", kwargs={"network_slug": network.slug})), *extra]



def _take_part_state(request: HttpRequest, conversation: Conversation) -> str:
    """open | closed | sign_in | join: what the page offers this visitor."""
    if not conversation.is_open:
        return "closed"
    if conversation.allow_anonymous:
        return "open"
    person = _person(request)
    if person is None:
        return "sign_in"
    try:
        services._check_may_take_part(conversation, person)
    except services.NotAllowed:
        return "join"
    return "open"


def _conversation_context(
    request: HttpRequest, conversation: Conversation, *, viewer: Participant | None = None, **extra: Any
) -> dict[str, Any]:
    """What a conversation page shows; `viewer` is the participant when the caller has just looked them up."""
    participant = viewer if viewer is not None else _viewer(request, conversation)
    state = _take_part_state(request, conversation)
    progress = selectors.next_for(conversation=conversation, participant=participant)
    return {
        "conversation": conversation, "network": conversation.network, "progress": progress, "state": state,
        "form": StatementForm(), "can_moderate": request.user.has_perm(
            "deliberation.moderate_conversation", conversation),
        "crumbs": _crumbs(conversation.network), **extra,
    }


@public
@require_GET
def conversation_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    conversations = list(selectors.conversations_for_network(network=network))
    return render(request, "deliberation/list.html", {
        "network": network, "conversations": conversations,
        "can_open": request.user.has_perm("deliberation.open_conversation", network),
        "crumbs": [(network.name, network.get_absolute_url())],
    })


@public
@require_GET
def conversation_detail(request: HttpRequest, network_slug: str, slug: str) -> HttpResponse:
    conversation = _conversation(request, network_slug, slug)
    return render(request, "deliberation/conversation.html", _conversation_context(request, conversation))


def _participant_for(request: HttpRequest, conversation: Conversation) -> tuple[Participant, str | None]:
    """The participant making this request, and a new browser token to set when one was made."""
    person = _person(request)
    new_token = None
    token = None
    if person is None:
        token = _token(request)
        if token is None and conversation.allow_anonymous:
            token = new_token = secrets.token_urlsafe(32)
    participant = services.participant_for(conversation=conversation, person=person, browser_token=token)
    return participant, new_token


@public
@require_POST
def conversation_vote(request: HttpRequest, network_slug: str, slug: str) -> HttpResponse:
    conversation = _conversation(request, network_slug, slug)
    htmx = request.headers.get("HX-Request") == "true"
    word = request.POST.get("vote", "")
    try:
        statement_pk = int(request.POST.get("statement", ""))
    except ValueError:
        raise Http404("No such statement.") from None
    statement = get_object_or_404(Statement, pk=statement_pk, conversation=conversation)
    new_token = None
    said, problem = "", ""
    participant = None
    try:
        ratelimit.check(request, ratelimit.VOTES)  # per address; the service limits each participant
        participant, new_token = _participant_for(request, conversation)
        services.vote_cast(participant=participant, statement=statement, value=word)
    except (services.NotAllowed, ValidationError) as exc:
        problem = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    else:
        said = VOTE_SAID.get(word.strip().lower(), "Your vote is saved.")
    if htmx:
        request.COOKIES.setdefault(COOKIE, new_token or "")
        context = _conversation_context(request, conversation, viewer=participant, said=said, problem=problem)
        response = render(request, "deliberation/conversation.html#statement-card", context)
    else:
        if problem:
            messages.error(request, problem)
        else:
            messages.success(request, f"{said} Here is the next statement.")
        response = redirect(conversation)
    return _set_token(response, new_token) if new_token else response


@public
@require_POST
def statement_add(request: HttpRequest, network_slug: str, slug: str) -> HttpResponse:
    conversation = _conversation(request, network_slug, slug)
    form = StatementForm(request.POST)
    new_token = None
    if form.is_valid():
        try:
            ratelimit.check(request, ratelimit.STATEMENTS)  # per address; the service limits each participant
            participant, new_token = _participant_for(request, conversation)
            services.statement_submit(participant=participant, text=form.cleaned_data["text"])
        except services.NotAllowed as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                _form_errors(form, exc)
            else:
                form.add_error("text", exc.messages)
        else:
            messages.success(request, "Thank you. A facilitator will check your statement before others see it.")
            response = redirect(conversation)
            return _set_token(response, new_token) if new_token else response
    response = render(request, "deliberation/conversation.html",
                      {**_conversation_context(request, conversation), "form": form})
    return _set_token(response, new_token) if new_token else response


@public
@require_GET
def conversation_report(request: HttpRequest, network_slug: str, slug: str) -> HttpResponse:
    conversation = _conversation(request, network_slug, slug)
    snapshot = selectors.snapshot_for(conversation=conversation)
    context: dict[str, Any] = {
        "conversation": conversation, "network": conversation.network, "snapshot": snapshot,
        "crumbs": _crumbs(conversation.network, (conversation.question, conversation.get_absolute_url())),
    }
    if snapshot is not None:
        context.update(report.report_context(snapshot))
        context["map_description"] = report.map_description(snapshot)
    return render(request, "deliberation/report.html", context)


@public
@require_GET
def conversation_map(request: HttpRequest, network_slug: str, slug: str) -> HttpResponse:
    """The opinion map as an SVG file (drawn once per snapshot, then kept)."""
    conversation = _conversation(request, network_slug, slug)
    snapshot = selectors.snapshot_for(conversation=conversation)
    if snapshot is None:
        raise Http404("There are no results yet.")
    if not snapshot.map_svg:
        snapshot.map_svg = report.map_svg(snapshot, title=f"Opinion map: {conversation.question}")
        AnalysisSnapshot.objects.filter(pk=snapshot.pk, computed_at=snapshot.computed_at).update(
            map_svg=snapshot.map_svg)
    response = HttpResponse(snapshot.map_svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=60"
    return response


@requires("deliberation.open_conversation", obj=_network)
@require_http_methods(["GET", "POST"])
def conversation_open(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = OpenConversationForm(request.POST or None, initial={"allow_anonymous": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_open(
                network=network, actor=request.user.person, question=data["question"],
                description=data["description"], allow_anonymous=data["allow_anonymous"], seed_statements=form.seeds(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "The conversation is open. Share this page so people can take part.")
            return redirect(conversation)
    return render(request, "deliberation/open.html", {"network": network, "form": form, "crumbs": _crumbs(network)})


@requires("deliberation.moderate_conversation", obj=_conversation)
@require_http_methods(["GET", "POST"])
def conversation_moderate(request: HttpRequest, network_slug: str, slug: str) -> HttpResponse:
    conversation = _conversation(request, network_slug, slug)
    failed: ModerateForm | None = None
    if request.method == "POST":
        posted = request.POST.get("statement", "")
        form = ModerateForm(request.POST, auto_id=f"id_%s_{posted}" if posted.isdigit() else "id_%s")
        if form.is_valid():
            statement = get_object_or_404(Statement, pk=form.cleaned_data["statement"], conversation=conversation)
            accept = form.cleaned_data["decision"] == "accept"
            try:
                services.statement_moderate(statement=statement, actor=request.user.person, accept=accept,
                                            reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _form_errors(form, exc)
                failed = form
            else:
                messages.success(request, "Statement accepted: people can now vote on it." if accept
                                 else "Statement not accepted. The reason is public.")
                return redirect("deliberation:moderate", network_slug=network_slug, slug=slug)
        else:
            failed = form
    pending = list(selectors.pending_statements(conversation=conversation))
    rows = []
    for statement in pending:
        if failed is not None and str(failed.data.get("statement")) == str(statement.pk):
            rows.append((statement, failed))
        else:
            rows.append((statement, ModerateForm(initial={"statement": statement.pk}, auto_id=f"id_%s_{statement.pk}")))
    return render(request, "deliberation/moderate.html", {
        "conversation": conversation, "network": conversation.network, "rows": rows, "failed": failed,
        "moderated": list(selectors.moderated_statements(conversation=conversation)[:20]),
        "crumbs": _crumbs(conversation.network, (conversation.question, conversation.get_absolute_url())),
    })


@requires("deliberation.moderate_conversation", obj=_conversation)
@require_http_methods(["GET", "POST"])
def conversation_close(request: HttpRequest, network_slug: str, slug: str) -> HttpResponse:
    conversation = _conversation(request, network_slug, slug)
    if request.method == "POST":
        try:
            services.conversation_close(conversation=conversation, actor=request.user.person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The conversation is closed. The totals are on the public record.")
        return redirect(conversation.report_url)
    return render(request, "deliberation/close.html", {
        "conversation": conversation, "network": conversation.network,
        "crumbs": _crumbs(conversation.network, (conversation.question, conversation.get_absolute_url())),
    })
