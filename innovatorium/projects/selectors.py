"""Reads for programmes and projects, shared by the pages and the API. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from innovatorium.networks.models import Constituency, ConstituencyKind, Network
from innovatorium.projects.models import (
    Contribution,
    ContributionKind,
    ContributionUnit,
    InvolvementDepth,
    Programme,
    ProgrammeRole,
    Project,
    TeamMember,
    UserTest,
    UserTestParticipants,
)

PATIENTS_PUBLIC = ConstituencyKind.PATIENTS_PUBLIC
_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


def programmes_for_network(*, network: Network) -> QuerySet[Programme]:
    return Programme.objects.filter(network=network).annotate(project_count=Count("projects"))


def programme_get(*, network_slug: str, programme_slug: str) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("network"), network__slug=network_slug, slug=programme_slug
    )


def programme_roles(*, programme: Programme) -> list[ProgrammeRole]:
    return list(programme.roles.select_related("person", "constituency"))


def projects_for_network(*, network: Network, programme: Programme | None = None,
                         status: str = "") -> QuerySet[Project]:
    queryset = Project.objects.filter(network=network).select_related("network", "programme")
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.annotate(
        team_size=Count("team", distinct=True),
        patient_partners=Count("team", filter=Q(team__constituency_kind=PATIENTS_PUBLIC), distinct=True),
    )


def project_get(*, network_slug: str, project_slug: str) -> Project:
    return get_object_or_404(
        Project.objects.select_related("network", "programme", "challenge__network", "innovation__network"),
        network__slug=network_slug, slug=project_slug,
    )


def project_team(*, project: Project) -> list[TeamMember]:
    """The team, deepest involvement first, each with `hours` (net of reversals) and `paid_hours`."""
    hours = Q(contributions__unit=ContributionUnit.HOURS)
    members = list(
        project.team.select_related("person", "constituency").annotate(
            hours=Coalesce(Sum("contributions__quantity", filter=hours), _ZERO),
            value=Coalesce(Sum("contributions__agreed_value"), _ZERO),
        )
    )
    for m in members:
        m.paid_hours = m.hours if m.paid else Decimal(0)
    return members


@dataclass
class TimelineItem:
    date: dt.date
    kind: str  # "started", "milestone", "iteration", "user_test", "decision", "contribution"
    obj: Any
    order: int = 0


_ORDER = {"started": 0, "decision": 1, "iteration": 2, "user_test": 3, "milestone": 4, "contribution": 5}


def project_timeline(*, project: Project) -> list[TimelineItem]:
    """The project's story, oldest first: milestones (by due or done date), iterations, tests, decisions and
    contributions merged by date. Seven queries however long the story."""
    items = [TimelineItem(project.started_on, "started", project)]
    items += [TimelineItem(m.completed_on or m.due_on, "milestone", m) for m in project.milestones.all()]
    items += [TimelineItem(i.occurred_on, "iteration", i) for i in project.iterations.all()]
    tests = project.user_tests.select_related("iteration").prefetch_related(
        Prefetch("participants", queryset=UserTestParticipants.objects.select_related("constituency"))
    )
    items += [TimelineItem(t.occurred_on, "user_test", t) for t in tests]
    items += [TimelineItem(d.decided_on, "decision", d) for d in project.decisions.all()]
    contributions = project.contributions.select_related("team_member__person", "team_member__constituency")
    contributions = list(contributions)
    reversed_ids = {c.reverses_id for c in contributions if c.reverses_id}
    for c in contributions:
        c.is_reversed = c.pk in reversed_ids
    items += [TimelineItem(c.occurred_on, "contribution", c) for c in contributions]
    for item in items:
        item.order = _ORDER[item.kind]
    items.sort(key=lambda i: (i.date, i.order, getattr(i.obj, "pk", 0)))
    return items


def contribution_totals(*, project: Project) -> list[dict[str, Any]]:
    """Net totals per kind and unit (reversals cancel what they reverse). Private values are not summed."""
    rows = (
        project.contributions.values("kind", "unit")
        .annotate(quantity=Sum("quantity"), value=Sum("agreed_value", filter=Q(is_value_private=False)),
                  entries=Count("id", filter=Q(reverses__isnull=True)))
        .order_by("kind", "unit")
    )
    labels = dict(ContributionKind.choices)
    return [{**row, "label": labels[row["kind"]]} for row in rows if row["quantity"]]


@dataclass
class DepthRow:
    constituency: Constituency
    counts: list[int]  # one per InvolvementDepth, shallowest first
    total: int = 0

    @property
    def cells(self) -> list[tuple[str, int]]:
        return list(zip(InvolvementDepth.labels, self.counts, strict=True))


@dataclass
class Involvement:
    """How people took part in a set of projects."""

    projects: int = 0
    team_members: int = 0
    patient_public: int = 0
    projects_without_patient_partner: list[Project] = field(default_factory=list)
    by_constituency: list[DepthRow] = field(default_factory=list)
    paid_hours: Decimal = Decimal(0)
    unpaid_hours: Decimal = Decimal(0)
    depths: list[str] = field(default_factory=lambda: [label for _, label in InvolvementDepth.choices])

    @property
    def patient_public_share(self) -> int | None:
        """Percentage of team places held by patients and the public (None with no team at all)."""
        return round(100 * self.patient_public / self.team_members) if self.team_members else None


def involvement_summary(*, network: Network, programme: Programme | None = None) -> Involvement:
    """Share of patient/public team members, depth by constituency and paid hours, for a programme or network."""
    projects = Project.objects.filter(network=network)
    if programme is not None:
        projects = projects.filter(programme=programme)
    projects = list(projects.annotate(
        patient_partners=Count("team", filter=Q(team__constituency_kind=PATIENTS_PUBLIC)),
    ))
    members = TeamMember.objects.filter(project__in=[p.pk for p in projects])
    result = Involvement(projects=len(projects))
    result.projects_without_patient_partner = [p for p in projects if not p.patient_partners]
    depth_index = {value: i for i, value in enumerate(InvolvementDepth.values)}
    constituencies = {c.pk: c for c in Constituency.objects.filter(network=network)}
    rows: dict[int, DepthRow] = {}
    for constituency_id, kind, depth, n in (
        members.values_list("constituency_id", "constituency_kind", "depth").annotate(n=Count("id"))
        .order_by()
    ):
        row = rows.setdefault(constituency_id, DepthRow(constituencies[constituency_id], [0] * len(depth_index)))
        row.counts[depth_index[depth]] += n
        row.total += n
        result.team_members += n
        if kind == PATIENTS_PUBLIC:
            result.patient_public += n
    result.by_constituency = sorted(rows.values(), key=lambda r: (r.constituency.position, r.constituency.name))
    hours = (
        Contribution.objects.filter(team_member__in=members, unit=ContributionUnit.HOURS)
        .values_list("team_member__paid").annotate(total=Sum("quantity")).order_by()
    )
    totals: dict[bool, Decimal] = defaultdict(Decimal)
    for paid, total in hours:
        totals[paid] += total or 0
    result.paid_hours, result.unpaid_hours = totals[True], totals[False]
    return result


def user_test_participant_total(test: UserTest) -> int:
    return sum(p.count for p in test.participants.all())


def contributions_for_member(*, team_member: TeamMember) -> QuerySet[Contribution]:
    return team_member.contributions.select_related("reverses").order_by("-occurred_on", "-pk")


def project_events(*, project: Project) -> list[Any]:
    """Published events whose minutes say they advanced this project, newest first."""
    from innovatorium.events.models import Event, EventStatus

    return list(Event.objects.filter(minutes__projects_advanced=project, status=EventStatus.PUBLISHED)
                .select_related("network").order_by("-starts_at"))


def programme_events(*, programme: Programme) -> list[Any]:
    """The programme's published events, newest first, each with `has_patient_speaker`."""
    from django.db.models import Exists, OuterRef

    from innovatorium.events.models import Event, EventStatus, Speaker

    return list(
        Event.objects.filter(programme=programme, status=EventStatus.PUBLISHED).select_related("network")
        .annotate(has_patient_speaker=Exists(Speaker.objects.filter(event=OuterRef("pk"),
                                                                    constituency_kind=PATIENTS_PUBLIC)))
        .order_by("-starts_at")
    )
