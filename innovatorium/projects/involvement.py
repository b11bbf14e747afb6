"""The involvement report: a network's "what we do" page and the national league table, computed from the data.

Everything here is a read. Figures count published events only (drafts are private, cancelled events did not
happen), every project, and every team place. Paid involvement hours are net of reversals, because a reversal is a
negative entry in the append-only contributions log.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, Sum

from innovatorium.atlas.models import Innovation, PublicationStatus
from innovatorium.events.models import Event, EventStatus, Speaker
from innovatorium.networks.models import ConstituencyKind, Network
from innovatorium.people.models import Membership, Person, Role
from innovatorium.projects import census
from innovatorium.projects.models import (
    Contribution,
    ContributionUnit,
    ParticipantProfile,
    ProgrammeRole,
    Project,
    TeamMember,
)
from innovatorium.projects.selectors import Involvement, involvement_summary

PATIENTS_PUBLIC = ConstituencyKind.PATIENTS_PUBLIC
REPRESENTATIVE_ROLES = (Role.BOARD_MEMBER, Role.FACILITATOR, Role.ADMIN)
KIND_LABELS = dict(ConstituencyKind.choices)


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def quarter_of(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _patient_speaker() -> Exists:
    return Exists(Speaker.objects.filter(event=OuterRef("pk"), constituency_kind=PATIENTS_PUBLIC))


def _patient_partner() -> Exists:
    return Exists(TeamMember.objects.filter(project=OuterRef("pk"), constituency_kind=PATIENTS_PUBLIC))


def has_patient_representative(*, network: Network) -> bool:
    """True when a board member, facilitator or admin of the network belongs to patients and the public."""
    return _representatives().filter(network=network).exists()


def _representatives():  # noqa: ANN202 - a Membership queryset
    return Membership.objects.filter(
        role__in=REPRESENTATIVE_ROLES, constituency__kind=PATIENTS_PUBLIC, person__erased_at__isnull=True,
    )


def governance_installed() -> bool:
    return apps.is_installed("innovatorium.governance")


SEATS_TEMPLATE = "governance/includes/involvement_seats.html"


def seats_template() -> str:
    """The governance app's "board and council seats by partner group" section, once it provides one."""
    if not governance_installed():
        return ""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template(SEATS_TEMPLATE)
    except TemplateDoesNotExist:
        return ""
    return SEATS_TEMPLATE


# --- who takes part --------------------------------------------------------------------------------

DISABILITY_GROUP = {"yes_a_lot": "disabled", "yes_a_little": "disabled", "no": "not_disabled"}


@dataclass
class WhoTakesPart:
    participants: int  # people who took part in the network's projects, programmes or events
    told_us: int | None  # how many of them answered at least one question (None when fewer than 5)
    dimensions: list[census.Dimension]
    districts: int | None  # distinct home postcode districts (None when fewer than 5 people gave one)
    region: str
    source: str = census.CENSUS_SOURCE
    source_url: str = census.CENSUS_SOURCE_URL

    @property
    def missing(self) -> list[str]:
        return [sentence for d in self.dimensions for sentence in d.missing]


def network_participants(*, network: Network):  # noqa: ANN201 - a Person queryset
    """Everyone who took part in the network: on a project team, a programme lead or partner, a speaker, or
    with a confirmed place at (or who attended) one of its published events. Erased accounts are left out."""
    from innovatorium.events.models import Registration, RegistrationStatus

    person = OuterRef("pk")
    return Person.objects.filter(erased_at__isnull=True).filter(
        Exists(TeamMember.objects.filter(person=person, project__network=network))
        | Exists(ProgrammeRole.objects.filter(person=person, programme__network=network))
        | Exists(Speaker.objects.filter(person=person, event__network=network, event__status=EventStatus.PUBLISHED))
        | Exists(Registration.objects.filter(person=person, event__network=network, event__status=EventStatus.PUBLISHED,
                                             status=RegistrationStatus.CONFIRMED))
    )


def who_takes_part(*, network: Network) -> WhoTakesPart:
    """Participants' own answers (age, ethnic group, disability, postcode district) in aggregate, against the
    region's census figures, with small groups suppressed. Five queries."""
    participants = network_participants(network=network)
    profiles = ParticipantProfile.objects.filter(person__in=participants.values("pk"))
    counts: dict[str, dict[str, int]] = {"age_band": {}, "ethnic_group": {}, "disability": {}}
    told_us = 0
    districts: set[str] = set()
    district_people = 0
    for age, ethnic, disability, district in profiles.values_list(
        "age_band", "ethnic_group", "disability", "postcode_district"
    ):
        told_us += 1
        if age and age != "prefer_not":
            counts["age_band"][age] = counts["age_band"].get(age, 0) + 1
        if ethnic and ethnic != "prefer_not":
            counts["ethnic_group"][ethnic] = counts["ethnic_group"].get(ethnic, 0) + 1
        if disability in DISABILITY_GROUP:
            group = DISABILITY_GROUP[disability]
            counts["disability"][group] = counts["disability"].get(group, 0) + 1
        if district:
            districts.add(district)
            district_people += 1
    small = census.SUPPRESS_BELOW
    return WhoTakesPart(
        participants=participants.count(), told_us=told_us if told_us >= small else None,
        dimensions=census.compare(network.slug, counts),
        districts=len(districts) if district_people >= small else None, region=census.region_name(network.slug),
    )


@dataclass
class Warning:
    code: str  # no_patient_partner | no_patient_speaker | no_patient_representative
    text: str
    url: str = ""


@dataclass
class QuarterRow:
    quarter: str
    projects_started: int = 0
    joined: dict[str, int] = field(default_factory=dict)  # constituency kind -> team members who joined
    joined_cells: list[tuple[str, int]] = field(default_factory=list)  # (group label, joined), in column order

    def cells(self, kinds: list[str]) -> list[int]:
        return [self.joined.get(k, 0) for k in kinds]


@dataclass
class ProgrammeRow:
    """One programme's involvement, for the report's board → programme → project → event view."""

    programme: object  # a Programme, or None for work outside any programme
    projects: int = 0
    team_members: int = 0
    patient_public: int = 0
    events: int = 0
    events_with_patient_speaker: int = 0

    @property
    def patient_public_share(self) -> int | None:
        return _share(self.patient_public, self.team_members)

    @property
    def name(self) -> str:
        return self.programme.name if self.programme is not None else "Not in a programme"


def programme_rows(*, network: Network, projects: list[Project], events: list[Event]) -> list[ProgrammeRow]:
    """Per programme: projects, team places held by patients and the public, events with a patient or public
    speaker. Two queries, using the projects and events the report already loaded."""
    from innovatorium.projects.models import Programme

    rows: dict[int | None, ProgrammeRow] = {
        p.pk: ProgrammeRow(p) for p in Programme.objects.filter(network=network).select_related("network")}
    rows[None] = ProgrammeRow(None)
    for project in projects:
        row = rows.setdefault(project.programme_id, ProgrammeRow(None))
        row.projects += 1
        row.team_members += project.team_size
        row.patient_public += project.patient_partners
    for event in events:
        row = rows.setdefault(event.programme_id, ProgrammeRow(None))
        row.events += 1
        row.events_with_patient_speaker += int(bool(event.has_patient_speaker))
    named = sorted((r for k, r in rows.items() if k is not None), key=lambda r: r.name)
    loose = rows[None]
    return named + ([loose] if loose.projects or loose.events else [])


@dataclass
class Report:
    network: Network
    involvement: Involvement
    projects: list[Project]
    events: list[Event]
    events_with_patient_speaker: int
    has_patient_representative: bool
    quarters: list[QuarterRow]
    trend_kinds: list[str]
    governance: bool
    who: WhoTakesPart | None = None
    seats_template: str = ""
    programmes: list[ProgrammeRow] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    @property
    def events_share(self) -> int | None:
        return _share(self.events_with_patient_speaker, len(self.events))

    @property
    def trend_labels(self) -> list[str]:
        return [KIND_LABELS.get(k, k) for k in self.trend_kinds]


def network_report(*, network: Network, with_who: bool = True) -> Report:
    """The whole "what we do" report for one network, in a small fixed number of queries.

    `with_who=False` leaves out "who takes part" (the charts do not need it)."""
    involvement = involvement_summary(network=network)
    projects = list(
        Project.objects.filter(network=network).select_related("network")
        .annotate(team_size=Count("team"),
                  patient_partners=Count("team", filter=Q(team__constituency_kind=PATIENTS_PUBLIC)))
        .order_by("-started_on", "title")
    )
    for project in projects:
        project.patient_share = _share(project.patient_partners, project.team_size)
    events = list(
        Event.objects.filter(network=network, status=EventStatus.PUBLISHED).select_related("network")
        .annotate(has_patient_speaker=_patient_speaker(), speaker_count=Count("speakers"))
        .order_by("-starts_at", "-pk")
    )
    with_speaker = sum(1 for e in events if e.has_patient_speaker)
    representative = has_patient_representative(network=network)

    quarters: dict[str, QuarterRow] = {}
    for project in projects:
        quarters.setdefault(quarter_of(project.started_on), QuarterRow(quarter_of(project.started_on)))
        quarters[quarter_of(project.started_on)].projects_started += 1
    kinds_seen: set[str] = set()
    for joined_on, kind, n in (
        TeamMember.objects.filter(project__network=network).values_list("joined_on", "constituency_kind")
        .annotate(n=Count("id")).order_by()
    ):
        row = quarters.setdefault(quarter_of(joined_on), QuarterRow(quarter_of(joined_on)))
        row.joined[kind] = row.joined.get(kind, 0) + n
        kinds_seen.add(kind)
    trend_kinds = [k for k in ConstituencyKind.values if k in kinds_seen]
    for row in quarters.values():
        row.joined_cells = [(KIND_LABELS.get(k, k), n) for k, n in zip(trend_kinds, row.cells(trend_kinds),
                                                                       strict=True)]

    report = Report(
        network=network, involvement=involvement, projects=projects, events=events,
        events_with_patient_speaker=with_speaker, has_patient_representative=representative,
        quarters=[quarters[q] for q in sorted(quarters)], trend_kinds=trend_kinds, governance=governance_installed(),
        who=who_takes_part(network=network) if with_who else None, seats_template=seats_template(),
        programmes=programme_rows(network=network, projects=projects, events=events) if with_who else [],
    )
    if not representative:
        report.warnings.append(Warning(
            "no_patient_representative",
            f"{network.name} has no patients or members of the public among its board members, facilitators "
            "or administrators.",
        ))
    for project in projects:
        if not project.patient_partners:
            report.warnings.append(Warning(
                "no_patient_partner", f"The project “{project.title}” has no patient or public partner in its team.",
                project.get_absolute_url()))
    for event in events:
        if not event.has_patient_speaker:
            report.warnings.append(Warning(
                "no_patient_speaker", f"The event “{event.title}” has no patient or public speaker.",
                event.get_absolute_url()))
    return report


@dataclass
class LeagueRow:
    network: Network
    team_members: int = 0
    patient_public: int = 0
    paid_hours: Decimal = Decimal(0)
    events: int = 0
    events_with_patient_speaker: int = 0
    projects_without_patient_partner: int = 0
    has_patient_representative: bool = False

    @property
    def patient_public_share(self) -> int | None:
        return _share(self.patient_public, self.team_members)

    @property
    def events_share(self) -> int | None:
        return _share(self.events_with_patient_speaker, self.events)

    @property
    def warnings(self) -> int:
        return (self.projects_without_patient_partner + (self.events - self.events_with_patient_speaker)
                + (0 if self.has_patient_representative else 1))


def league_table() -> list[LeagueRow]:
    """Every network's headline figures, in six queries however many networks there are.

    Ordered by patient and public share of team places (highest first; networks with no teams last), then name.
    """
    rows = {n.pk: LeagueRow(n) for n in Network.objects.order_by("name")}
    for network_id, kind, n in (
        TeamMember.objects.values_list("project__network_id", "constituency_kind").annotate(n=Count("id")).order_by()
    ):
        rows[network_id].team_members += n
        if kind == PATIENTS_PUBLIC:
            rows[network_id].patient_public += n
    for network_id, total in (
        Contribution.objects.filter(unit=ContributionUnit.HOURS, team_member__paid=True)
        .values_list("project__network_id").annotate(total=Sum("quantity")).order_by()
    ):
        rows[network_id].paid_hours = total or Decimal(0)
    for network_id, total, with_speaker in (
        Event.objects.filter(status=EventStatus.PUBLISHED).annotate(pp=_patient_speaker())
        .values_list("network_id").annotate(total=Count("id"), with_speaker=Count("id", filter=Q(pp=True)))
        .order_by()
    ):
        rows[network_id].events, rows[network_id].events_with_patient_speaker = total, with_speaker
    for network_id, n in (
        Project.objects.annotate(pp=_patient_partner()).filter(pp=False)
        .values_list("network_id").annotate(n=Count("id")).order_by()
    ):
        rows[network_id].projects_without_patient_partner = n
    for network_id in _representatives().values_list("network_id", flat=True).distinct():
        rows[network_id].has_patient_representative = True
    return sorted(rows.values(), key=lambda r: (r.patient_public_share is None, -(r.patient_public_share or 0),
                                                r.network.name))


# --- charts ----------------------------------------------------------------------------------------

DEPTH_COLOURS = ["#d8dde0", "#aeb7bd", "#41b6e6", "#005eb8", "#003087", "#330072"]
KIND_COLOURS = ["#005eb8", "#007f3b", "#ffb81c", "#8a1538", "#330072", "#00a499", "#768692", "#425563"]


def _svg(chart: dict, *, title: str, desc: str) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart)
    head = f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + head, svg, count=1)


def _configure(chart):  # noqa: ANN001, ANN202 - altair charts
    return (chart.configure(font="Arial")
            .configure_axis(labelFontSize=13, titleFontSize=14, titleColor="#212b32", labelColor="#212b32")
            .configure_legend(labelFontSize=13, titleFontSize=14, titleColor="#212b32", labelColor="#212b32",
                              orient="bottom", columns=3))


def depth_chart_svg(report: Report) -> str:
    """Team members by partner group, stacked by depth of involvement."""
    import altair as alt

    depths = report.involvement.depths
    values = [{"group": row.constituency.name, "depth": label, "order": i, "members": n}
              for row in report.involvement.by_constituency for i, (label, n) in enumerate(row.cells) if n]
    chart = (
        alt.Chart(alt.Data(values=values)).mark_bar()
        .encode(
            y=alt.Y("group:N", title="Partner group", sort=None),
            x=alt.X("sum(members):Q", title="Team members", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("depth:N", title="Depth of involvement",
                            scale=alt.Scale(domain=depths, range=DEPTH_COLOURS)),
            order=alt.Order("order:Q"),
        )
        .properties(width=480, height=max(60, 32 * len(report.involvement.by_constituency)))
    )
    desc = "; ".join(f"{row.constituency.name}: {row.total} team members, "
                     + ", ".join(f"{n} {label.lower()}" for label, n in row.cells if n)
                     for row in report.involvement.by_constituency) or "No one is on a project team yet."
    return _svg(_configure(chart).to_dict(),
                title=f"Depth of involvement by partner group in {report.network.name}", desc=desc)


def trend_chart_svg(report: Report) -> str:
    """Team members joining each quarter, by partner group."""
    import altair as alt

    labels = report.trend_labels
    values = [{"quarter": q.quarter, "group": label, "joined": n}
              for q in report.quarters for label, n in zip(labels, q.cells(report.trend_kinds), strict=True)]
    chart = (
        alt.Chart(alt.Data(values=values)).mark_bar()
        .encode(
            x=alt.X("quarter:O", title="Quarter", sort=None),
            y=alt.Y("sum(joined):Q", title="Team members who joined", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("group:N", title="Partner group",
                            scale=alt.Scale(domain=labels or ["None"], range=KIND_COLOURS[: max(1, len(labels))])),
        )
        .properties(width=480, height=260)
    )
    desc = "; ".join(
        f"{q.quarter}: {q.projects_started} projects started, {sum(q.joined.values())} team members joined"
        for q in report.quarters) or "No projects yet."
    return _svg(_configure(chart).to_dict(), title=f"Involvement over time in {report.network.name}", desc=desc)


# --- the feed --------------------------------------------------------------------------------------

@dataclass
class FeedItem:
    kind: str
    title: str
    description: str
    url: str
    when: dt.datetime
    guid: str


def network_activity(*, network: Network, limit: int = 30) -> list[FeedItem]:
    """What the network did, newest first: projects started, events published, innovations published."""
    items: list[FeedItem] = []
    for p in Project.objects.filter(network=network).select_related("network").order_by("-created_at")[:limit]:
        items.append(FeedItem("project", f"Project started: {p.title}", p.summary, p.get_absolute_url(),
                              p.created_at, f"innovatorium:project:{p.pk}"))
    for e in (Event.objects.filter(network=network, status=EventStatus.PUBLISHED, published_at__isnull=False)
              .select_related("network").order_by("-published_at")[:limit]):
        items.append(FeedItem("event", f"Event: {e.title} ({e.starts_at:%-d %B %Y})", e.description,
                              e.get_absolute_url(), e.published_at, f"innovatorium:event:{e.pk}"))
    for i in (Innovation.objects.filter(network=network, status=PublicationStatus.PUBLISHED,
                                        published_at__isnull=False)
              .select_related("network").order_by("-published_at")[:limit]):
        items.append(FeedItem("innovation", f"Innovation published: {i.name}", i.summary, i.get_absolute_url(),
                              i.published_at, f"innovatorium:innovation:{i.pk}"))
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]
