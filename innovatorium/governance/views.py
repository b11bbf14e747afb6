"""Governance pages: bodies and their seats, elections with the full count, draws by lot, motions and minutes.

Everything works without JavaScript: the ranked ballot is numbered choices, one select per candidate.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovatorium.core import ratelimit
from innovatorium.core.forms import add_service_errors
from innovatorium.core.permissions import acting_person, public, requires
from innovatorium.governance import forms, selectors, services
from innovatorium.governance.models import (
    BodyKind,
    BodyMember,
    Election,
    ElectionStatus,
    ElectionVoter,
    MotionKind,
    MotionStatus,
)
from innovatorium.ledger import motions as motion_rules
from innovatorium.networks.models import Network

RECEIPT_SESSION = "governance_receipt"


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _can_manage(request: HttpRequest, network: Network) -> bool:
    return request.user.is_authenticated and request.user.has_perm("governance.manage", network)


def _crumbs(network: Network, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(network.name, network.get_absolute_url()),
            ("Governance", reverse("governance:index", kwargs={"network_slug": network.slug})), *extra]


def _body_crumbs(body: Any) -> list[tuple[str, str]]:
    return _crumbs(body.network, (body.name, body.get_absolute_url()))


# --- Index and bodies ---------------------------------------------------------------------------------------


@public
@require_GET
def index(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    bodies = selectors.bodies_for_network(network)
    for body in bodies:
        body.rows = selectors.seat_rows(body)
        body.empty = sum(r.empty for r in body.rows)
        body.total = sum(r.reserved for r in body.rows)
    return render(request, "governance/index.html", {
        "network": network, "bodies": bodies, "can_manage": _can_manage(request, network),
        "elections": list(selectors.elections_for(network=network)[:10]),
        "motions": list(selectors.motions_for(network=network)[:15]),
        "crumbs": [(network.name, network.get_absolute_url())],
    })


@requires("governance.manage", obj=_network)
@require_http_methods(["GET", "POST"])
def body_new(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = forms.BodyForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(
                network=network, actor=acting_person(request), name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"], purpose=form.cleaned_data["purpose"],
                term_months=form.cleaned_data["term_months"], seats=form.seats(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{body.name} is set up. Call an election or run a draw to fill its seats.")
            return redirect(body)
    return render(request, "governance/form.html", {
        "network": network, "form": form, "heading": "Set up a body", "button": "Set up the body",
        "crumbs": _crumbs(network),
    })


def _body(request: HttpRequest, network_slug: str, body_slug: str) -> Any:
    return selectors.body_get(network_slug=network_slug, body_slug=body_slug)


@public
@require_GET
def body_detail(request: HttpRequest, network_slug: str, body_slug: str) -> HttpResponse:
    body = _body(request, network_slug, body_slug)
    rows = selectors.seat_rows(body)
    return render(request, "governance/body.html", {
        "network": body.network, "body": body, "rows": rows, "empty": sum(r.empty for r in rows),
        "empty_list": [f"{r.empty} for {r.constituency.name}" for r in rows if r.empty],
        "total": sum(r.reserved for r in rows), "can_manage": _can_manage(request, body.network),
        "is_panel": body.kind == BodyKind.PANEL,
        "seat_holder": any(m.person_id == getattr(acting_person(request), "pk", None) for m in body.current_members),
        "elections": list(selectors.elections_for(body=body)),
        "draws": list(selectors.draws_for(body)[:5]),
        "motions": list(selectors.motions_for(body=body)[:20]),
        "crumbs": _crumbs(body.network),
    })


@requires("governance.manage", obj=_body)
@require_http_methods(["GET", "POST"])
def body_seats(request: HttpRequest, network_slug: str, body_slug: str) -> HttpResponse:
    body = _body(request, network_slug, body_slug)
    current = {r.constituency.slug: r.seats for r in body.reserved_seats.all()}
    form = forms.SeatsForm(request.POST or None, network=body.network, initial_seats=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.seats_set(body=body, actor=acting_person(request), seats=form.seats())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Seats changed.")
            return redirect(body)
    return render(request, "governance/form.html", {
        "network": body.network, "form": form, "heading": f"Seats on the {body.name}", "button": "Save the seats",
        "intro": "How many seats each partner group holds. Members already seated keep their seats.",
        "crumbs": _body_crumbs(body),
    })


@requires("governance.manage", obj=_body)
@require_http_methods(["GET", "POST"])
def body_appoint(request: HttpRequest, network_slug: str, body_slug: str) -> HttpResponse:
    """Fill an empty seat by appointment (a first board, or a casual vacancy until the next election)."""
    from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Person

    body = _body(request, network_slug, body_slug)
    open_groups = [r.constituency.pk for r in selectors.seat_rows(body) if r.empty]
    seated = {m.person_id for m in body.current_members}
    candidates = (Membership.objects.filter(network=body.network, constituency_id__in=open_groups,
                                            verification__in=COUNTED_VERIFICATION, person__erased_at__isnull=True)
                  .exclude(person_id__in=seated).select_related("person", "constituency")
                  .order_by("constituency__position", "person_id"))
    choices = [(m.person_id, f"{m.person.public_name} ({m.constituency.name})") for m in candidates]
    form = forms.AppointForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        person = get_object_or_404(Person, pk=form.cleaned_data["person"])
        try:
            services.member_appoint(body=body, actor=acting_person(request), person=person)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{person.public_name} now holds a seat on the {body.name}.")
            return redirect(body)
    return render(request, "governance/form.html", {
        "network": body.network, "form": form, "heading": f"Appoint to an empty seat on the {body.name}",
        "button": "Appoint", "crumbs": _body_crumbs(body), "refused": None if choices else
        "There is nobody to appoint: no partner group with an empty seat has a confirmed member who is not already "
        "on the body.",
        "intro": "An appointed member holds the seat for a full term, or until the next election to it.",
    })


@requires("governance.take_part")
@require_POST
def stand_down(request: HttpRequest, network_slug: str, body_slug: str) -> HttpResponse:
    body = _body(request, network_slug, body_slug)
    person = acting_person(request)
    seat = next((m for m in body.current_members if person and m.person_id == person.pk), None)
    if seat is None:
        raise PermissionDenied(f"You do not hold a seat on the {body.name}.")
    services.member_end(seat=seat, actor=person)
    messages.success(request, f"You have stood down from the {body.name}. Your seat is now shown as empty.")
    return redirect(body)


# --- Elections ----------------------------------------------------------------------------------------------


@requires("governance.manage", obj=_body)
@require_http_methods(["GET", "POST"])
def election_new(request: HttpRequest, network_slug: str, body_slug: str) -> HttpResponse:
    body = _body(request, network_slug, body_slug)
    form = forms.ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_call(body=body, actor=acting_person(request),
                                              title=form.cleaned_data["title"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Nominations are open.")
            return redirect(election)
    return render(request, "governance/form.html", {
        "network": body.network, "form": form, "heading": f"Call an election to the {body.name}",
        "button": "Open nominations", "crumbs": _body_crumbs(body),
        "intro": "Every reserved seat is elected, each partner group by its own members, by single transferable "
        "vote. Members stand for their own group's seats. The current holders of those seats stand down when "
        "the count is published.",
    })


def _election(request: HttpRequest, network_slug: str, pk: int) -> Election:
    return selectors.election_get(network_slug=network_slug, pk=pk)


def _election_network(request: HttpRequest, network_slug: str, pk: int) -> Network:
    return _election(request, network_slug, pk).body.network


@public
@require_GET
def election_detail(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    election = _election(request, network_slug, pk)
    person = acting_person(request)
    membership = services.counted_membership(person, election.body.network)
    contests = selectors.contests(election)
    mine = next((c for c in contests if membership and c.constituency_id == membership.constituency_id), None)
    for c in contests:
        c.standing = [n for n in c.nominations.all() if n.withdrawn_at is None]
        c.winners = [n for n in c.standing if n.elected]
        c.ballot_count = c.result["ballots"] if c.result else None
    return render(request, "governance/election.html", {
        "network": election.body.network, "election": election, "body": election.body, "contests": contests,
        "mine": mine, "membership": membership,
        "has_voted": bool(person) and ElectionVoter.objects.filter(election=election, person=person).exists(),
        "has_stood": bool(person and mine) and any(n.person_id == person.pk for n in mine.nominations.all()
                                                   if n.withdrawn_at is None),
        "my_nomination": next((n for n in (mine.nominations.all() if mine and person else [])
                               if n.person_id == person.pk and n.withdrawn_at is None), None),
        "voters": election.voters.count(),
        "can_manage": _can_manage(request, election.body.network),
        "receipt": request.session.pop(RECEIPT_SESSION, None) if request.user.is_authenticated else None,
        "crumbs": _body_crumbs(election.body),
    })


@requires("governance.take_part")
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    election = _election(request, network_slug, pk)
    form = forms.NominationForm(request.POST or None)
    refused = None
    person = acting_person(request)
    membership = services.counted_membership(person, election.body.network)
    if membership is None:
        refused = f"Only confirmed members of {election.body.network.name} can stand."
    elif election.status != ElectionStatus.NOMINATIONS:
        refused = "Nominations for this election have closed."
    if request.method == "POST" and refused is None and form.is_valid():
        try:
            ratelimit.check(request, ratelimit.POSTS, person=person)
            services.nominate(election=election, actor=person, statement=form.cleaned_data["statement"])
        except PermissionDenied as exc:
            refused = str(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "You are standing. Your statement is on the election page.")
            return redirect(election)
    return render(request, "governance/form.html", {
        "network": election.body.network, "form": form, "refused": refused,
        "heading": f"Stand for the {election.body.name}",
        "intro": (f"You would stand for a {membership.constituency.name} seat, elected by members of "
                  f"{membership.constituency.name}." if membership else ""),
        "button": "Stand for election", "back": election.get_absolute_url(),
        "crumbs": _body_crumbs(election.body) + [(election.title, election.get_absolute_url())],
    })


@requires("governance.take_part")
@require_http_methods(["GET", "POST"])
def election_vote(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    election = _election(request, network_slug, pk)
    person = acting_person(request)
    membership = services.counted_membership(person, election.body.network)
    contest = next((c for c in selectors.contests(election)
                    if membership and c.constituency_id == membership.constituency_id), None)
    refused = None
    if membership is None:
        refused = f"Only confirmed members of {election.body.network.name} can vote in this election."
    elif contest is None:
        refused = f"This election has no seats for {membership.constituency.name}, your partner group."
    elif election.status != ElectionStatus.VOTING or (election.closes_at and election.closes_at <= _now()):
        refused = ("Voting has not opened yet." if election.status == ElectionStatus.NOMINATIONS
                   else "Voting in this election has closed: no more ballots can be cast.")
    elif ElectionVoter.objects.filter(election=election, person=person).exists():
        refused = "You have already voted in this election. Each member votes once."
    standing = [n for n in contest.nominations.all() if n.withdrawn_at is None] if contest else []
    errors: list[str] = []
    chosen: dict[str, str] = {}
    if request.method == "POST" and refused is None:
        positions: dict[int, int] = {}
        for n in standing:
            value = request.POST.get(f"rank-{n.pk}", "").strip()
            chosen[str(n.pk)] = value
            if value:
                if not value.isdigit():
                    errors.append("Choose a number from the list for each candidate you rank.")
                    break
                positions[n.pk] = int(value)
        if not errors and not positions:
            errors.append("Number at least one candidate: 1 for your first choice.")
        if not errors:
            try:
                ranking = services.ranking_from_positions(positions)
                ratelimit.check(request, ratelimit.BALLOTS, person=person)
                receipt = services.ballot_cast(election=election, actor=person, ranking=ranking)
            except PermissionDenied as exc:
                refused = str(exc)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                request.session[RECEIPT_SESSION] = receipt
                messages.success(request, "Your ballot is cast. It is secret: nobody can see how you voted.")
                return redirect(election)
    rows = [{"nomination": n, "id": n.pk, "rank": chosen.get(str(n.pk), "")} for n in standing]
    return render(request, "governance/vote.html", {
        "network": election.body.network, "election": election, "contest": contest, "rows": rows,
        "ranks": range(1, len(rows) + 1), "errors": errors, "refused": refused,
        "crumbs": _body_crumbs(election.body) + [(election.title, election.get_absolute_url())],
    }, status=200)


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


@requires("governance.manage", obj=_election_network)
@require_http_methods(["GET", "POST"])
def election_manage(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    election = _election(request, network_slug, pk)
    form = forms.OpenVotingForm(request.POST or None)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open" and form.is_valid():
                services.election_open_voting(election=election, actor=acting_person(request),
                                              closes_at=form.cleaned_data.get("closes_at"))
                messages.success(request, "Voting is open.")
                return redirect(election)
            if action == "close":
                services.election_close(election=election, actor=acting_person(request))
                messages.success(request, "Voting is closed and the count is published.")
                return redirect("governance:election_count", network_slug=network_slug, pk=pk)
        except ValidationError as exc:
            if action == "open":
                add_service_errors(form, exc)
            else:
                error = " ".join(exc.messages)
    return render(request, "governance/election_manage.html", {
        "network": election.body.network, "election": election, "form": form, "error": error,
        "nominations": sum(len([n for n in c.nominations.all() if n.withdrawn_at is None])
                           for c in selectors.contests(election)),
        "voters": election.voters.count(),
        "crumbs": _body_crumbs(election.body) + [(election.title, election.get_absolute_url())],
    })


def _stage_rows(step: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    transfers = step.get("transfers") or {}
    return [{"text": names.get(o, o), "votes": v, "transfer": transfers.get(o)}
            for o, v in step.get("tallies", {}).items()]


@public
@require_GET
def election_count(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    election = _election(request, network_slug, pk)
    contests = selectors.contests(election)
    for c in contests:
        names = {n.option_id: n.person.public_name for n in c.nominations.all()}
        c.names = names
        c.stages = []
        if c.result:
            for step in c.result["steps"]:
                c.stages.append({**step, "rows": _stage_rows(step, names),
                                 "option_name": names.get(step.get("option", ""), step.get("option", "")),
                                 "elected_names": [names.get(o, o) for o in step.get("elected", [])]})
            c.winner_names = [names.get(o, o) for o in c.result["winners"]]
    return render(request, "governance/count.html", {
        "network": election.body.network, "election": election, "contests": contests,
        "crumbs": _body_crumbs(election.body) + [(election.title, election.get_absolute_url())],
    })


@public
@require_GET
def election_ballots(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    """Every ballot of a counted election, by receipt and ranking (never by voter), with the tie-break ids, so
    anyone can find their own ballot and re-count each constituency with innovatorium/voting."""
    election = _election(request, network_slug, pk)
    if election.status != ElectionStatus.COUNTED:
        return JsonResponse({"detail": "The ballots are published when the election has been counted."}, status=404)
    contests = []
    for c in selectors.contests(election):
        contests.append({
            "constituency": c.constituency.slug, "seats": c.seats,
            "round_id": f"{election.round_id}:{c.constituency.slug}",
            "candidates": {n.option_id: n.person.public_name for n in c.nominations.all() if n.withdrawn_at is None},
            "ballot_set_hash": c.ballot_set_hash,
            "ballots": [{"receipt": r, "ranking": m.split(">") if m else []}
                        for r, m in c.ballots.order_by("receipt").values_list("receipt", "ranking")],
        })
    return JsonResponse({"election": election.title, "method": "stv", "contests": contests})


@requires("governance.take_part")
@require_POST
def nomination_withdraw(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    from innovatorium.governance.models import Nomination

    nomination = get_object_or_404(Nomination.objects.select_related("contest__election__body__network"),
                                   contest__election__body__network__slug=network_slug, pk=pk)
    election = nomination.contest.election
    try:
        services.nomination_withdraw(nomination=nomination, actor=acting_person(request))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, str(exc) if isinstance(exc, PermissionDenied) else " ".join(exc.messages))
    else:
        messages.success(request, "You are no longer standing in this election.")
    return redirect(election)


# --- Draws --------------------------------------------------------------------------------------------------


@requires("governance.manage", obj=_body)
@require_http_methods(["GET", "POST"])
def draw_new(request: HttpRequest, network_slug: str, body_slug: str) -> HttpResponse:
    body = _body(request, network_slug, body_slug)
    form = forms.DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draw = services.draw_panel(body=body, actor=acting_person(request), seed=form.cleaned_data["seed"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The panel is drawn. Anyone can re-run the draw from this page.")
            return redirect(draw)
    pool = services.draw_pool(body)
    return render(request, "governance/form.html", {
        "network": body.network, "form": form, "heading": f"Draw the {body.name} by lot", "button": "Make the draw",
        "intro": f"{len(pool)} confirmed members can be drawn, stratified by partner group: each group's reserved "
        "seats are filled from its own members. The current panel stands down. The seed, the list drawn from and "
        "the result are published so anyone can re-run the draw.",
        "crumbs": _body_crumbs(body),
    })


@public
@require_GET
def draw_detail(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    draw = selectors.draw_get(network_slug=network_slug, pk=pk)
    _, same = services.rerun_draw(draw)
    names = dict(draw.body.network.constituencies.values_list("slug", "name"))
    selected = [{"constituency": names.get(s, s), "slug": s, "members": m} for s, m in sorted(draw.selected.items())]
    return render(request, "governance/draw.html", {
        "network": draw.body.network, "draw": draw, "selected": selected, "same": same,
        "pool": len(draw.candidates), "crumbs": _body_crumbs(draw.body),
    })


@public
@require_GET
def draw_candidates(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    draw = selectors.draw_get(network_slug=network_slug, pk=pk)
    return JsonResponse({"seed": draw.seed, "quotas": draw.quotas, "candidates": draw.candidates,
                         "candidates_hash": draw.candidates_hash, "selected": draw.selected})


@public
@require_GET
def how_draws_work(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    return render(request, "governance/how_draws_work.html", {"network": network, "crumbs": _crumbs(network)})


# --- Motions ------------------------------------------------------------------------------------------------


@requires("governance.take_part")
@require_http_methods(["GET", "POST"])
def motion_new(request: HttpRequest, network_slug: str, body_slug: str) -> HttpResponse:
    body = _body(request, network_slug, body_slug)
    person = acting_person(request)
    staff = _can_manage(request, body.network)
    if not staff and not any(m.person_id == getattr(person, "pk", None) for m in body.current_members):
        raise PermissionDenied(f"Only members of the {body.name} and facilitators may propose motions.")
    form = forms.MotionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ratelimit.check(request, ratelimit.MOTIONS, person=person)
            motion = services.motion_propose(
                body=body, actor=person, title=data["title"], text=data["text"], interests=data["interests"],
                kind=data["kind"], quorum=data["quorum"], threshold=data["threshold"],
                double_majority=data["double_majority"], hide_results=data["hide_results"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The motion is open for votes.")
            return redirect(motion)
    return render(request, "governance/motion_form.html", {
        "network": body.network, "body": body, "form": form, "crumbs": _body_crumbs(body),
    })


def _motion(request: HttpRequest, network_slug: str, pk: int) -> Any:
    return selectors.motion_get(network_slug=network_slug, pk=pk)


def _motion_network(request: HttpRequest, network_slug: str, pk: int) -> Network:
    return _motion(request, network_slug, pk).body.network


def _vote_choices(motion: Any) -> list[tuple[str, str]]:
    return [(o, selectors.OPTION_LABELS[o]) for o in motion_rules.OPTIONS[motion.kind]]


def _motion_page(request: HttpRequest, motion: Any, form: Any = None, refused: str | None = None,
                 status: int = 200) -> HttpResponse:
    motion = selectors.with_votes(type(motion).objects.select_related("body__network", "proposed_by")).get(
        pk=motion.pk)
    person = acting_person(request)
    votes = selectors.motion_votes(motion)
    for v in votes:
        v.label = selectors.OPTION_LABELS.get(v.option, v.option)
    visible = selectors.results_visible(motion)
    recusals = list(motion.recusals.all())
    seat = (BodyMember.objects.filter(body_id=motion.body_id, person=person, ended_at__isnull=True).first()
            if person else None)
    my_vote = next((v for v in votes if person and v.person_id == person.pk), None)
    must = services.must_recuse(motion) if seat else {}
    names = dict(motion.body.network.constituencies.values_list("slug", "name"))
    by_constituency = [{"name": names.get(s, s), "counts": c} for s, c in sorted(motion.by_constituency.items())]
    return render(request, "governance/motion.html", {
        "network": motion.body.network, "motion": motion, "body": motion.body,
        "votes": votes if visible else [], "visible": visible, "vote_count": len(votes),
        "counts": [(selectors.OPTION_LABELS[o], n) for o, n in
                   (motion.counts if motion.status == MotionStatus.DECIDED else
                    selectors.live_counts(motion, votes)).items()],
        "by_constituency": by_constituency, "option_labels": selectors.OPTION_LABELS,
        "recusals": recusals, "seat": seat, "my_vote": my_vote,
        "stood_aside": bool(person) and any(r.person_id == person.pk for r in recusals),
        "must_recuse": must.get(person.pk) if seat else None,
        "can_vote": bool(seat) and motion.status == MotionStatus.OPEN and my_vote is None and person.pk not in must,
        "form": form or forms.MotionVoteForm(choices=_vote_choices(motion)), "refused": refused,
        "can_manage": _can_manage(request, motion.body.network), "is_consent": motion.kind == MotionKind.CONSENT,
        "crumbs": _body_crumbs(motion.body),
    }, status=status)


@public
@require_GET
def motion_detail(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    return _motion_page(request, _motion(request, network_slug, pk))


@requires("governance.take_part")
@require_POST
def motion_vote(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    motion = _motion(request, network_slug, pk)
    form = forms.MotionVoteForm(request.POST, choices=_vote_choices(motion))
    if form.is_valid():
        try:
            ratelimit.check(request, ratelimit.BALLOTS, person=acting_person(request))
            services.motion_vote(motion=motion, actor=acting_person(request), option=form.cleaned_data["option"],
                                 reason=form.cleaned_data["reason"])
        except PermissionDenied as exc:
            return _motion_page(request, motion, form, refused=str(exc), status=403)
        except services.VotingClosed as exc:
            return _motion_page(request, motion, form, refused=" ".join(exc.messages), status=409)
        except services.AlreadyVoted as exc:
            return _motion_page(request, motion, form, refused=" ".join(exc.messages), status=409)
        except ratelimit.RateLimited as exc:
            return _motion_page(request, motion, form, refused=" ".join(exc.messages), status=429)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your vote is recorded.")
            return redirect(motion)
    return _motion_page(request, motion, form)


@requires("governance.take_part")
@require_POST
def motion_recuse(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    motion = _motion(request, network_slug, pk)
    try:
        services.motion_recuse(motion=motion, actor=acting_person(request), reason=request.POST.get("reason", ""))
    except PermissionDenied as exc:
        return _motion_page(request, motion, refused=str(exc), status=403)
    except ValidationError as exc:
        return _motion_page(request, motion, refused=" ".join(exc.messages), status=409)
    messages.success(request, "You have stood aside from this motion. That is shown on its page.")
    return redirect(motion)


@requires("governance.manage", obj=_motion_network)
@require_POST
def motion_close(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    motion = _motion(request, network_slug, pk)
    try:
        services.motion_close(motion=motion, actor=acting_person(request))
    except ValidationError as exc:
        return _motion_page(request, motion, refused=" ".join(exc.messages), status=409)
    messages.success(request, "The motion is closed and its decision published.")
    return redirect(motion)


@requires("governance.manage", obj=_motion_network)
@require_http_methods(["GET", "POST"])
def motion_minutes(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    motion = _motion(request, network_slug, pk)
    form = forms.MinutesForm(request.POST or None, initial={"decision": motion.decision, "minutes": motion.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.motion_publish_minutes(motion=motion, actor=acting_person(request),
                                            decision=form.cleaned_data["decision"],
                                            minutes=form.cleaned_data["minutes"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The decision and minutes are published.")
            return redirect(motion)
    return render(request, "governance/form.html", {
        "network": motion.body.network, "form": form, "heading": f"Decision and minutes: {motion.title}",
        "button": "Publish", "back": motion.get_absolute_url(), "crumbs": _body_crumbs(motion.body),
    })
