"""Priority-setting pages: rounds, voting (works without JavaScript), results, exports, and running a round."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovatorium import voting
from innovatorium.challenges.models import Challenge, ChallengeStatus
from innovatorium.core import ratelimit
from innovatorium.core.forms import add_service_errors as _form_errors
from innovatorium.core.permissions import acting_person as _person
from innovatorium.core.permissions import public, requires
from innovatorium.networks.models import ConstituencyKind, Network
from innovatorium.priorities import selectors, services
from innovatorium.priorities.forms import NextRoundForm, RoundForm
from innovatorium.priorities.models import RANKED, Round, RoundStatus, VotingMethod

KIND_LABELS = {**dict(ConstituencyKind.choices), "undeclared": "No declared group"}
RECEIPT_SESSION = "priorities_receipt"


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _round(request: HttpRequest, network_slug: str, round_slug: str) -> Round:
    network = _network(request, network_slug)
    staff = request.user.is_authenticated and request.user.has_perm("priorities.manage_round", network)
    return selectors.round_get(network_slug=network_slug, round_slug=round_slug, include_drafts=staff)


def _crumbs(network: Network, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(network.name, network.get_absolute_url()),
            ("Priorities", reverse("priorities:list", kwargs={"network_slug": network.slug})), *extra]



@public
@require_GET
def round_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    can_manage = request.user.is_authenticated and request.user.has_perm("priorities.manage_round", network)
    rounds = list(selectors.rounds_for_network(network=network, include_drafts=can_manage))
    return render(request, "priorities/list.html", {
        "network": network, "rounds": rounds, "can_manage": can_manage,
        "crumbs": [(network.name, network.get_absolute_url())],
    })


@public
@require_GET
def promises(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    return render(request, "priorities/promises.html", {
        "network": network, "min_breakdown": voting.MIN_BREAKDOWN, "crumbs": _crumbs(network),
    })


def _options(round_: Round) -> list[Any]:
    return list(round_.options.select_related("challenge__network"))


@public
@require_GET
def round_detail(request: HttpRequest, network_slug: str, round_slug: str) -> HttpResponse:
    round_ = _round(request, network_slug, round_slug)
    person = _person(request)
    return render(request, "priorities/detail.html", {
        "round": round_, "network": round_.network, "options": _options(round_),
        "is_elector": selectors.is_elector(round_, person), "has_voted": selectors.has_voted(round_, person),
        "electorate": selectors.electorate_size(round_), "turnout": selectors.turnout(round_),
        "can_manage": request.user.is_authenticated and request.user.has_perm("priorities.manage_round", round_),
        "crumbs": _crumbs(round_.network),
    })


def _submitted_marks(round_: Round, election: voting.Election, data: Any) -> Any:
    """Read the voting form: checkboxes (approval), radios (score) or numbered selects (ranked)."""
    options = election.options
    if round_.method == VotingMethod.APPROVAL:
        return tuple(data.getlist("option"))
    if round_.method == VotingMethod.SCORE:
        scores = {}
        for option in options:
            value = data.get(f"score-{option}", "")
            if value == "":
                continue
            try:
                scores[option] = int(value)
            except ValueError:
                raise ValidationError("Scores are whole numbers from 0 to 5.") from None
        return scores
    positions = {}
    for option in options:
        value = data.get(f"rank-{option}", "")
        if value == "":
            continue
        try:
            positions[option] = int(value)
        except ValueError:
            raise ValidationError("Ranks are numbers: 1 for your first choice, 2 for your second, and so on.") from None
    return services.ranking_from_positions(election, positions)


@requires("priorities.vote", obj=_round)
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, network_slug: str, round_slug: str) -> HttpResponse:
    round_ = _round(request, network_slug, round_slug)
    person = _person(request)
    options = _options(round_)
    election = services.election_for(round_, options)
    errors: list[str] = []
    refused = ""
    if round_.status != RoundStatus.OPEN:
        refused = ("Voting in this round has closed." if round_.status == RoundStatus.CLOSED
                   else "Voting in this round has not opened yet.")
    elif not selectors.is_elector(round_, person):
        refused = str(services.NotInElectorate(round_))
    submitted: Any = None
    if request.method == "POST" and not refused:
        try:
            ratelimit.check(request, ratelimit.BALLOTS)  # per address; the service limits each person
            submitted = _submitted_marks(round_, election, request.POST)
            receipt = services.ballot_cast(round=round_, person=person, marks=submitted)
        except PermissionDenied as exc:
            refused = str(exc)
        except ValidationError as exc:
            errors = exc.messages
        else:
            request.session[RECEIPT_SESSION] = {"round": round_.pk, "receipt": receipt}
            return redirect("priorities:receipt", network_slug=network_slug, round_slug=round_slug)
    limit = min(round_.top_n or len(options), len(options))
    rows = []
    for option in options:
        oid = option.option_id
        row: dict[str, Any] = {"option": option, "id": oid}
        if request.method == "POST":
            row["checked"] = oid in request.POST.getlist("option")
            row["score"] = request.POST.get(f"score-{oid}", "")
            row["rank"] = request.POST.get(f"rank-{oid}", "")
        rows.append(row)
    status = 200 if not refused else 403
    return render(request, "priorities/vote.html", {
        "round": round_, "network": round_.network, "rows": rows, "errors": errors, "refused": refused,
        "limit": limit, "ranks": range(1, limit + 1), "scores": range(0, voting.counting.SCORE_MAX + 1),
        "ranked": round_.method in RANKED, "has_voted": selectors.has_voted(round_, person),
        "crumbs": _crumbs(round_.network, (round_.title, round_.get_absolute_url())),
    }, status=status)


@requires("priorities.vote", obj=_round)
@require_GET
def receipt(request: HttpRequest, network_slug: str, round_slug: str) -> HttpResponse:
    """The receipt, shown once after voting (it is kept in the session only until this page is seen)."""
    round_ = _round(request, network_slug, round_slug)
    shown = request.session.pop(RECEIPT_SESSION, None)
    if not shown or shown.get("round") != round_.pk:
        return redirect(round_.get_absolute_url())
    return render(request, "priorities/receipt.html", {
        "round": round_, "network": round_.network, "receipt": shown["receipt"],
        "crumbs": _crumbs(round_.network, (round_.title, round_.get_absolute_url())),
    })


@requires("priorities.vote", obj=_round)
@require_POST
def withdraw(request: HttpRequest, network_slug: str, round_slug: str) -> HttpResponse:
    round_ = _round(request, network_slug, round_slug)
    try:
        services.ballot_withdraw(round=round_, person=_person(request))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "Your ballot has been withdrawn. You can vote again until the round closes.")
    return redirect(round_.get_absolute_url())


@requires("priorities.view_receipts")
@require_GET
def mine(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    rows = [r for r in selectors.my_rounds(person=_person(request)) if r["round"].network_id == network.pk]
    return render(request, "priorities/mine.html", {"network": network, "rows": rows, "crumbs": _crumbs(network)})


def _closed_round(request: HttpRequest, network_slug: str, round_slug: str) -> Round:
    round_ = _round(request, network_slug, round_slug)
    if round_.status != RoundStatus.CLOSED:
        raise Http404("This round has not been counted yet.")
    return round_


def _table(result: dict[str, Any], labels: dict[str, str]) -> list[dict[str, Any]]:
    winners = set(result["winners"])
    return [
        {"position": i, "id": o, "text": labels[o], "total": result["totals"].get(o, 0), "winner": o in winners}
        for i, o in enumerate(result["ranking"], start=1)
    ]


def _steps(result: dict[str, Any], labels: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for step in result["steps"]:
        rows = [{"text": labels[o], "votes": v, "transfer": step.get("transfers", {}).get(o)}
                for o, v in step["tallies"].items()]
        action = step.get("action", "")
        out.append({
            "stage": step["stage"], "rows": rows, "exhausted": step.get("exhausted", 0), "action": action,
            "option": labels.get(step.get("option", ""), ""), "elected": [labels[o] for o in step.get("elected", [])],
            "transfer_value": step.get("transfer_value"), "surplus": step.get("surplus"),
            "to_exhausted": step.get("to_exhausted"),
        })
    return out


@public
@require_GET
def results(request: HttpRequest, network_slug: str, round_slug: str) -> HttpResponse:
    round_ = _closed_round(request, network_slug, round_slug)
    data = round_.result.data
    labels = data["options"]
    constituencies = []
    for kind, result in data["by_constituency"].items():
        constituencies.append({
            "kind": kind, "label": KIND_LABELS.get(kind, kind), "suppressed": result.get("suppressed", False),
            "ballots": result["ballots"], "reason": result.get("reason", ""),
            "table": [] if result.get("suppressed") else _table(result, labels)[: max(round_.seats, 5)],
            "winners": [labels[o] for o in result.get("winners", [])],
        })
    raw_top = [labels[o] for o in data["raw"]["winners"]]
    balanced_top = [labels[o] for o in data["balanced"]["winners"]]
    differences = {
        "only_raw": [t for t in raw_top if t not in balanced_top],
        "only_balanced": [t for t in balanced_top if t not in raw_top],
        "reordered": raw_top != balanced_top,
    }
    return render(request, "priorities/results.html", {
        "round": round_, "network": round_.network, "result": round_.result, "data": data,
        "raw": _table(data["raw"], labels), "balanced": _table(data["balanced"], labels),
        "raw_top": raw_top, "balanced_top": balanced_top, "differences": differences,
        "disagree": bool(data["disagreements"]), "constituencies": constituencies,
        "steps": _steps(data["raw"], labels) if round_.method in ("irv", "stv") else [],
        "balanced_steps": _steps(data["balanced"], labels) if round_.method in ("irv", "stv") else [],
        "quota": data["raw"].get("quota"), "tie_breaks": data["raw"]["tie_breaks"],
        "crumbs": _crumbs(round_.network, (round_.title, round_.get_absolute_url())),
    })


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
@require_GET
def ballots_export(request: HttpRequest, network_slug: str, round_slug: str, fmt: str) -> HttpResponse:
    """The published, anonymised ballot list that `tools/recount.py` re-counts."""
    if fmt not in ("json", "csv"):
        raise Http404("Exports come as .json or .csv.")
    round_ = _closed_round(request, network_slug, round_slug)
    election = services.election_for(round_)
    body = voting.export_ballots(election, services.stored_ballots(round_, election), fmt)
    kind = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
    return _download(body, kind, f"{round_.slug}-ballots.{fmt}")


@public
@require_GET
def result_export(request: HttpRequest, network_slug: str, round_slug: str, fmt: str) -> HttpResponse:
    """The official result: JSON (what `recount.py --expect` compares) or a CSV table of totals."""
    if fmt not in ("json", "csv"):
        raise Http404("Exports come as .json or .csv.")
    round_ = _closed_round(request, network_slug, round_slug)
    data = round_.result.data
    if fmt == "json":
        return JsonResponse({"raw": data["raw"], "balanced": data["balanced"],
                             "by_constituency": data["by_constituency"], "disagreements": data["disagreements"],
                             "options": data["options"], "ballots": data["ballots"],
                             "ballot_set_hash": data["ballot_set_hash"]}, json_dumps_params={"indent": 1})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["count", "position", "option", "text", "total", "winner"])
    columns = [("raw", data["raw"]), ("balanced", data["balanced"])] + [
        (k, r) for k, r in data["by_constituency"].items() if not r.get("suppressed")
    ]
    for name, result in columns:
        for row in _table(result, data["options"]):
            writer.writerow([name, row["position"], row["id"], row["text"], row["total"], int(row["winner"])])
    return _download(out.getvalue(), "text/csv; charset=utf-8", f"{round_.slug}-results.csv")


# --- Facilitators --------------------------------------------------------------------------------------------


def _open_challenges(network: Network) -> list[Challenge]:
    return list(Challenge.objects.filter(network=network).exclude(status=ChallengeStatus.CLOSED).order_by("title"))


@requires("priorities.manage_round", obj=_network)
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    challenges = _open_challenges(network)
    form = RoundForm(request.POST or None, challenges=challenges)
    if request.method == "POST" and form.is_valid():
        picked = {int(pk) for pk in form.cleaned_data["challenges"]}
        try:
            round_ = services.round_create(
                network=network, actor=_person(request), title=form.cleaned_data["title"],
                description=form.cleaned_data["description"], stage=form.cleaned_data["stage"],
                method=form.cleaned_data["method"], seats=form.cleaned_data["seats"],
                top_n=form.cleaned_data["top_n"], secret=form.cleaned_data["secret"],
                challenges=[c for c in challenges if c.pk in picked], texts=form.option_texts(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"“{round_.title}” is set up as a draft. Open it when you are ready.")
            return redirect("priorities:manage", network_slug=network.slug, round_slug=round_.slug)
    return render(request, "priorities/new.html", {
        "network": network, "form": form, "challenges": challenges,
        "picked": set(form["challenges"].value() or []), "crumbs": _crumbs(network),
    })


@requires("priorities.manage_round", obj=_round)
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, network_slug: str, round_slug: str) -> HttpResponse:
    round_ = _round(request, network_slug, round_slug)
    actor = _person(request)
    if request.method == "POST":
        action = request.POST.get("action")
        actions = {"open": services.round_open, "close": services.round_close, "publish": services.round_publish}
        if action not in actions:
            messages.error(request, "Choose open, close or publish.")
        else:
            try:
                actions[action](round=round_, actor=actor)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                done = {"open": "Voting is open. The electorate is fixed: the confirmed members as of now.",
                        "close": "Voting is closed and the ballots are counted. The result is on the public record.",
                        "publish": "The priorities are published."}
                messages.success(request, done[action])
                if action in ("close", "publish"):
                    return redirect("priorities:results", network_slug=network_slug, round_slug=round_slug)
        return redirect("priorities:manage", network_slug=network_slug, round_slug=round_slug)
    return render(request, "priorities/manage.html", {
        "round": round_, "network": round_.network, "options": _options(round_),
        "electorate": selectors.electorate_size(round_), "turnout": selectors.turnout(round_),
        "next_form": NextRoundForm(initial={"title": "", "take": min(25, round_.options.count())})
        if round_.status == RoundStatus.CLOSED else None,
        "crumbs": _crumbs(round_.network, (round_.title, round_.get_absolute_url())),
    })


@requires("priorities.manage_round", obj=_round)
@require_POST
def round_next(request: HttpRequest, network_slug: str, round_slug: str) -> HttpResponse:
    previous = _round(request, network_slug, round_slug)
    form = NextRoundForm(request.POST)
    if form.is_valid():
        try:
            round_ = services.round_next(previous=previous, actor=_person(request), **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"“{round_.title}” is set up from the top results of “{previous.title}”.")
            return redirect("priorities:manage", network_slug=network_slug, round_slug=round_.slug)
    return render(request, "priorities/manage.html", {
        "round": previous, "network": previous.network, "options": _options(previous),
        "electorate": selectors.electorate_size(previous), "turnout": selectors.turnout(previous),
        "next_form": form, "crumbs": _crumbs(previous.network, (previous.title, previous.get_absolute_url())),
    })


