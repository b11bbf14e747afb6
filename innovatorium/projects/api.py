"""Projects in the API: public lists, details and timelines; logging a contribution for team members.

Logging needs a session (sign in to the site; send the `X-CSRFToken` header). Values a project's agreement
keeps private are left out of every answer.
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from innovatorium.core import ratelimit
from innovatorium.core.pagination import MAX_OFFSET
from innovatorium.projects import selectors, services
from innovatorium.projects.models import Contribution, ContributionKind, ContributionUnit, Project, ProjectStatus

router = Router(tags=["projects"])
MAX_LIMIT = 100


class ProjectOut(Schema):
    id: int
    network: str
    slug: str
    title: str
    summary: str
    status: str = Field(description="One of: " + ", ".join(ProjectStatus.values))
    programme: str | None
    challenge: str | None = Field(description="Slug of the need it started from.")
    innovation: str | None = Field(description="Slug of the Atlas innovation it started from.")
    started_on: dt.date
    url: str
    team_size: int
    patient_public_partners: int


class ProjectPageOut(Schema):
    items: list[ProjectOut]
    count: int


class TeamMemberOut(Schema):
    id: int
    name: str = Field(description="Public name: a pseudonym unless the person consented to show their name.")
    constituency: str
    constituency_kind: str
    role: str
    depth: str
    paid: bool
    hours: Decimal = Field(description="Hours logged, net of reversals.")


class ProjectDetailOut(ProjectOut):
    team: list[TeamMemberOut]
    values_private: bool


class TimelineItemOut(Schema):
    date: dt.date
    kind: str
    title: str
    detail: dict


class ContributionIn(Schema):
    kind: str = Field(description="One of: " + ", ".join(ContributionKind.values))
    quantity: Decimal
    unit: str = Field(description="One of: " + ", ".join(ContributionUnit.values))
    occurred_on: dt.date
    description: str
    team_member: int | None = Field(None, description="Facilitators only: log for this team member.")


class ContributionOut(Schema):
    id: int
    team_member: int
    kind: str
    quantity: Decimal
    unit: str
    agreed_value: Decimal | None = Field(description="Null when unknown or kept private by the agreement.")
    occurred_on: dt.date
    description: str
    reverses: int | None


def _out(p: Project) -> dict:
    return {
        "id": p.pk, "network": p.network.slug, "slug": p.slug, "title": p.title, "summary": p.summary,
        "status": p.status, "programme": p.programme.slug if p.programme else None,
        "challenge": p.challenge.slug if p.challenge else None,
        "innovation": p.innovation.slug if p.innovation else None, "started_on": p.started_on,
        "url": p.get_absolute_url(), "team_size": p.team_size, "patient_public_partners": p.patient_partners,
    }


def _contribution_out(c: Contribution) -> dict:
    return {
        "id": c.pk, "team_member": c.team_member_id, "kind": c.kind, "quantity": c.quantity, "unit": c.unit,
        "agreed_value": None if c.is_value_private else c.agreed_value, "occurred_on": c.occurred_on,
        "description": c.description, "reverses": c.reverses_id,
    }


def _project(network: str, slug: str) -> Project:
    project = selectors.project_get(network_slug=network, project_slug=slug)
    counted = selectors.projects_for_network(network=project.network).get(pk=project.pk)
    project.team_size, project.patient_partners = counted.team_size, counted.patient_partners
    return project


class WarningOut(Schema):
    code: str = Field(description="no_patient_partner, no_patient_speaker or no_patient_representative")
    text: str
    url: str


class GroupOut(Schema):
    code: str
    label: str
    participants: int | None = Field(description="None when 1 to 4 people (suppressed: 'fewer than 5').")
    share: int | None = Field(description="Percentage of those who answered; None when suppressed or too few.")
    region_share: float = Field(description="Percentage of the region's people (Census 2021, approximate).")


class DimensionOut(Schema):
    code: str
    title: str
    answered: int | None = Field(description="None when fewer than 5 answered (nothing is shown then).")
    groups: list[GroupOut]
    missing: list[str] = Field(description="Plain sentences naming groups under-represented among participants.")


class WhoTakesPartOut(Schema):
    participants: int
    told_us: int | None = Field(description="None when fewer than 5 participants answered at all.")
    region: str
    source: str
    dimensions: list[DimensionOut]


class InvolvementOut(Schema):
    network: str
    projects: int
    team_places: int
    patient_public_places: int
    patient_public_share: int | None
    paid_hours: Decimal
    unpaid_hours: Decimal
    events: int
    events_with_patient_or_public_speaker: int
    warnings: list[WarningOut]
    who_takes_part: WhoTakesPartOut


@router.get("/involvement/{network}/report", response=InvolvementOut,
            summary="A network's involvement report: who takes part, how deeply, and what to put right")
def involvement_report(request: HttpRequest, network: str) -> dict:
    """The figures of the network's "what we do" page. Personal answers appear only in aggregate, with groups
    of fewer than 5 people suppressed."""
    from django.shortcuts import get_object_or_404

    from innovatorium.networks.models import Network
    from innovatorium.projects import involvement

    report = involvement.network_report(network=get_object_or_404(Network, slug=network))
    inv, who = report.involvement, report.who
    return {
        "network": network, "projects": inv.projects, "team_places": inv.team_members,
        "patient_public_places": inv.patient_public, "patient_public_share": inv.patient_public_share,
        "paid_hours": inv.paid_hours, "unpaid_hours": inv.unpaid_hours, "events": len(report.events),
        "events_with_patient_or_public_speaker": report.events_with_patient_speaker,
        "warnings": [{"code": w.code, "text": w.text, "url": w.url} for w in report.warnings],
        "who_takes_part": {
            "participants": who.participants, "told_us": who.told_us, "region": who.region, "source": who.source,
            "dimensions": [{
                "code": d.code, "title": d.title, "answered": d.answered, "missing": d.missing,
                "groups": [{"code": c.code, "label": c.label, "participants": c.count, "share": c.share,
                            "region_share": c.population_share} for c in d.cells],
            } for d in who.dimensions],
        },
    }


@router.get("/", response=ProjectPageOut, summary="Co-production projects, newest first")
def list_projects(request: HttpRequest, network: str = "", status: str = "", limit: int = 20,
                  offset: int = 0) -> dict:
    queryset = Project.objects.select_related("network", "programme", "challenge", "innovation")
    if network:
        queryset = queryset.filter(network__slug=network)
    if status:
        queryset = queryset.filter(status=status)
    queryset = queryset.annotate(
        team_size=Count("team", distinct=True),
        patient_partners=Count("team", filter=Q(team__constituency_kind="patients_public"), distinct=True),
    )
    limit = max(1, min(limit, MAX_LIMIT))
    offset = min(max(0, offset), MAX_OFFSET)  # beyond the database's integers would answer 500
    return {"items": [_out(p) for p in queryset[offset: offset + limit]], "count": queryset.count()}


@router.get("/{network}/{slug}", response=ProjectDetailOut, summary="One project with its team")
def get_project(request: HttpRequest, network: str, slug: str) -> dict:
    project = _project(network, slug)
    team = [
        TeamMemberOut(id=m.pk, name=m.person.public_name, constituency=m.constituency.slug,
                      constituency_kind=m.constituency_kind, role=m.role, depth=m.get_depth_display(),
                      paid=m.paid, hours=m.hours)
        for m in selectors.project_team(project=project)
    ]
    return {**_out(project), "team": team, "values_private": project.contribution_values_private}


def _timeline_out(item: selectors.TimelineItem) -> TimelineItemOut:
    o = item.obj
    if item.kind == "started":
        return TimelineItemOut(date=item.date, kind=item.kind, title="Project started", detail={})
    if item.kind == "milestone":
        return TimelineItemOut(date=item.date, kind=item.kind, title=o.title,
                               detail={"status": o.status, "due_on": o.due_on.isoformat(),
                                       "completed_on": o.completed_on.isoformat() if o.completed_on else None})
    if item.kind == "iteration":
        return TimelineItemOut(date=item.date, kind=item.kind, title=o.title,
                               detail={"number": o.number, "what_changed": o.what_changed, "why": o.why})
    if item.kind == "user_test":
        return TimelineItemOut(date=item.date, kind=item.kind, title=o.what_was_tested, detail={
            "findings": o.findings, "iteration": o.iteration.number if o.iteration else None,
            "participants": {p.constituency.slug: p.count for p in o.participants.all()},
        })
    if item.kind == "decision":
        return TimelineItemOut(date=item.date, kind=item.kind, title=o.decision, detail={
            "decided_by": o.decided_by, "options": o.options})
    out = _contribution_out(o)
    out = {k: str(v) if isinstance(v, Decimal | dt.date) else v for k, v in out.items()}
    return TimelineItemOut(date=item.date, kind=item.kind, title=o.get_kind_display(), detail=out)


@router.get("/{network}/{slug}/timeline", response=list[TimelineItemOut], summary="A project's story, oldest first")
def project_timeline(request: HttpRequest, network: str, slug: str) -> list[TimelineItemOut]:
    project = selectors.project_get(network_slug=network, project_slug=slug)
    return [_timeline_out(item) for item in selectors.project_timeline(project=project)]


@router.post("/{network}/{slug}/contributions", response={201: ContributionOut}, auth=django_auth,
             summary="Log a contribution (team members; facilitators on a member's behalf)")
def log_contribution(request: HttpRequest, network: str, slug: str, body: ContributionIn) -> Status:
    """403 for someone not on the team; 422 for impossible figures (negative or absurd hours)."""
    project = selectors.project_get(network_slug=network, project_slug=slug)
    person = getattr(request.user, "person", None)
    if person is None:
        raise HttpError(403, "Only a person with a profile can log contributions.")
    member = None
    if body.team_member is not None:
        member = project.team.filter(pk=body.team_member).first()
        if member is None:
            raise HttpError(404, "No such team member on this project.")
    try:
        ratelimit.check(request, ratelimit.POSTS, person=person)
    except ratelimit.RateLimited as exc:
        raise HttpError(429, " ".join(exc.messages)) from None
    try:
        entry = services.contribution_log(
            project=project, actor=person, team_member=member, kind=body.kind, quantity=body.quantity,
            unit=body.unit, occurred_on=body.occurred_on, description=body.description,
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    return Status(201, _contribution_out(entry))
