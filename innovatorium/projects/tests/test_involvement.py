"""The involvement report: figures, warnings, charts, the national league table and the activity feed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from innovatorium.events.models import Event, EventStatus, Speaker
from innovatorium.factories import NetworkFactory, member
from innovatorium.networks.models import Network
from innovatorium.people.models import Role
from innovatorium.projects import involvement, services
from innovatorium.projects.models import InvolvementDepth

ATOM = "{http://www.w3.org/2005/Atom}"


def make_event(network, title, *, speaker_kind=None, status=EventStatus.PUBLISHED):
    start = timezone.now() - dt.timedelta(days=3)
    event = Event.objects.create(network=network, slug=title.lower().replace(" ", "-"), title=title,
                                 description="About it.", starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                 status=status, published_at=timezone.now())
    if speaker_kind:
        Speaker.objects.create(event=event, name="A speaker", constituency_kind=speaker_kind)
    return event


@pytest.fixture
def built(network, facilitator, patient, industry_member, challenge):
    """Two projects (one with a paid patient partner, one with none) and three events (one draft)."""
    with_partner = services.project_create(network=network, actor=facilitator, title="Carer record",
                                           summary="A record the carer holds.", challenge=challenge,
                                           started_on=dt.date(2026, 2, 1))
    without = services.project_create(network=network, actor=facilitator, title="Ward robot",
                                      summary="A robot.", challenge=challenge, started_on=dt.date(2026, 5, 1))
    partner = services.team_member_add(project=with_partner, actor=facilitator, person=patient,
                                       role="Patient partner", depth=InvolvementDepth.CO_PRODUCE, paid=True,
                                       hourly_rate="25.00")
    services.team_member_add(project=with_partner, actor=facilitator, person=industry_member, role="Developer",
                             depth=InvolvementDepth.COLLABORATE)
    services.team_member_add(project=without, actor=facilitator, person=industry_member, role="Developer",
                             depth=InvolvementDepth.LEAD)
    day = timezone.localdate() - dt.timedelta(days=1)
    services.contribution_log(project=with_partner, actor=patient, kind="time", quantity="6", unit="hours",
                              occurred_on=day, description="Two workshops")
    slip = services.contribution_log(project=with_partner, actor=patient, kind="time", quantity="4",
                                     unit="hours", occurred_on=day, description="Typed the wrong number")
    services.contribution_reverse(contribution=slip, actor=patient, reason="Wrong number")
    make_event(network, "Carers meet innovators", speaker_kind="patients_public")
    make_event(network, "Industry webinar", speaker_kind="industry")
    make_event(network, "Draft workshop", status=EventStatus.DRAFT)
    return {"with_partner": with_partner, "without": without, "partner": partner}


def codes(report):
    return [w.code for w in report.warnings]


def test_the_report_counts_patient_places_paid_hours_net_of_reversals_and_events(built, network):
    report = involvement.network_report(network=network)
    assert report.involvement.team_members == 3
    assert report.involvement.patient_public == 1
    assert report.involvement.patient_public_share == 33
    assert report.involvement.paid_hours == Decimal("6")
    shares = {p.title: p.patient_share for p in report.projects}
    assert shares == {"Carer record": 50, "Ward robot": 0}
    assert len(report.events) == 2  # the draft is private
    assert report.events_with_patient_speaker == 1
    assert report.events_share == 50
    assert [q.quarter for q in report.quarters][:2] == ["2026 Q1", "2026 Q2"]
    assert report.quarters[0].projects_started == 1


def test_each_warning_appears_when_it_should(built, network):
    report = involvement.network_report(network=network)
    assert sorted(codes(report)) == ["no_patient_partner", "no_patient_representative", "no_patient_speaker"]
    texts = " ".join(w.text for w in report.warnings)
    assert "Ward robot" in texts and "Industry webinar" in texts
    assert "Carer record" not in texts and "Carers meet innovators" not in texts and "Draft" not in texts


def test_no_warnings_once_everything_has_patients_and_the_public(built, network, facilitator):
    member(network, "patients-public", role=Role.BOARD_MEMBER)
    newcomer = member(network, "patients-public").person
    services.team_member_add(project=built["without"], actor=facilitator, person=newcomer, role="Patient partner",
                             depth=InvolvementDepth.INVOLVE)
    Speaker.objects.create(event=Event.objects.get(title="Industry webinar"), name="A carer",
                           constituency_kind="patients_public")
    assert codes(involvement.network_report(network=network)) == []


def test_a_patient_who_is_only_a_member_is_not_a_representative(network, patient):
    assert not involvement.has_patient_representative(network=network)
    member(network, "nhs", role=Role.BOARD_MEMBER)
    assert not involvement.has_patient_representative(network=network)
    member(network, "patients-public", role=Role.FACILITATOR)
    assert involvement.has_patient_representative(network=network)


def test_the_page_shows_figures_warnings_and_charts_to_anonymous_visitors(client, built, network):
    response = client.get(reverse("projects:what_we_do", kwargs={"network_slug": network.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 of 3 team places (33%)" in html
    assert "<strong>6 hours</strong>" in html
    assert "1 of 2 published events (50%)" in html
    assert 'data-warning="no_patient_partner"' in html
    assert 'id="seats"' in html  # the governance app's seats by partner group, or the fallback without it
    assert ("does not record boards and councils yet" in html) != involvement.governance_installed()
    assert 'id="depth-chart"' in html and 'id="trend-table"' in html
    assert "style=" not in html


@pytest.mark.parametrize("name", ["what_we_do_depth_chart", "what_we_do_trend_chart"])
def test_charts_are_svg_files_with_a_title_and_description(client, built, network, name):
    response = client.get(reverse(f"projects:{name}", kwargs={"network_slug": network.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert "<title>" in svg and "<desc>" in svg


def test_an_empty_network_still_has_a_page_and_charts(client, network):
    url = reverse("projects:what_we_do", kwargs={"network_slug": network.slug})
    html = client.get(url).content.decode()
    assert "no one on a project team yet" in html
    chart = reverse("projects:what_we_do_trend_chart", kwargs={"network_slug": network.slug})
    assert client.get(chart).status_code == 200


def test_the_national_league_table_ranks_networks_in_a_bounded_number_of_queries(
    client, built, network, other_network, django_assert_max_num_queries
):
    for i in range(15):  # on top of the 15 regional networks the migrations create
        NetworkFactory(slug=f"region-{i}", name=f"Region {i}")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("projects:what_we_do_national"))
    assert response.status_code == 200
    rows = involvement.league_table()
    assert len(rows) == Network.objects.count() >= 17
    assert rows[0].network == network
    first = rows[0]
    assert (first.patient_public_share, first.paid_hours, first.events_share, first.warnings) == (33, Decimal(6), 50, 3)
    other = next(r for r in rows if r.network == other_network)
    assert (other.patient_public_share, other.events_share, other.warnings) == (None, None, 1)
    html = response.content.decode()
    assert "33% (1 of 3)" in html and "No teams yet" in html


def test_the_network_report_takes_a_fixed_number_of_queries(client, built, network, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        client.get(reverse("projects:what_we_do", kwargs={"network_slug": network.slug}))


def test_the_feed_is_atom_with_projects_and_published_events(client, built, network):
    response = client.get(reverse("projects:what_we_do_feed", kwargs={"network_slug": network.slug}))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert "Project started: Ward robot" in titles
    assert any(t.startswith("Event: Carers meet innovators") for t in titles)
    assert not any("Draft" in t for t in titles)


def test_unknown_networks_are_not_found(client, db):
    assert client.get("/nowhere/what-we-do/").status_code == 404
    assert client.get("/nowhere/what-we-do/feed/").status_code == 404


def test_the_report_breaks_involvement_down_by_programme(client, network, facilitator, project, patient_member):
    from innovatorium.projects.models import Programme

    dementia = services.programme_create(network=network, actor=facilitator, name="Dementia")
    Programme.objects.create(network=network, slug="quiet", name="A quiet programme")
    services.project_update(project=project, actor=facilitator, title=project.title, summary=project.summary,
                            programme=dementia)
    rows = {r.name: r for r in involvement.network_report(network=network).programmes}
    assert (rows["Dementia"].projects, rows["Dementia"].patient_public, rows["Dementia"].team_members) == (1, 1, 1)
    assert rows["A quiet programme"].projects == 0 and "Not in a programme" not in rows
    page = client.get(reverse("projects:what_we_do", args=[network.slug])).content.decode()
    assert 'id="programme-table"' in page and "1 of 1 (100%)" in page


def test_the_seats_section_falls_back_plainly_without_the_governance_app(client, network, monkeypatch):
    monkeypatch.setattr(involvement, "governance_installed", lambda: False)
    html = client.get(reverse("projects:what_we_do", kwargs={"network_slug": network.slug})).content.decode()
    assert "does not record boards and councils yet" in html
