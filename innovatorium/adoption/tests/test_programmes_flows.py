"""National adoption programmes (progress against target) and co-diffusion between networks on the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from innovatorium.adoption import selectors, services
from innovatorium.adoption.importers import import_adoptions
from innovatorium.adoption.models import NationalProgramme, Site
from innovatorium.networks.models import Network

HEADER = "ods_code,innovation,status,date,reason\n"


@pytest.fixture
def two_networks(register, innovation, network, other_network, facilitator):
    """The trust moves to the other network; the innovation is adopted at home first, then there."""
    Site.objects.filter(ods_code="RTD").update(network=other_network)
    slug = f"{network.slug}/{innovation.slug}"
    import_adoptions(HEADER + f"A81001,{slug},adopted,2023-01-01,\nRTD,{slug},piloting,2023-02-01,\n"
                     f"RTD,{slug},adopted,2023-05-01,\nA81002,{slug},exploring,2023-03-01,\n", actor=facilitator)
    return innovation


def test_flows_count_each_later_network_once_with_the_time_it_took(two_networks, network, other_network):
    firsts = selectors.network_firsts()
    assert firsts == {two_networks.pk: {network.pk: dt.date(2023, 1, 1), other_network.pk: dt.date(2023, 5, 1)}}
    flows = selectors.flows(firsts, [network, other_network])
    assert [(a.slug, b.slug, c) for a, b, c in flows.rows] == [(network.slug, other_network.slug, 1)]
    assert [(n.slug, first, spread) for n, first, spread in flows.originated] == [(network.slug, 1, 1)]
    assert [(s.k, s.median_days) for s in flows.steps] == [(2, 120.0)]


def test_the_pages_show_flows_and_arrivals(two_networks, network, other_network, client,
                                           django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        page = client.get(reverse("adoption:national")).content.decode()
    assert 'id="flows-table"' in page and "120 days" in page
    page = client.get(reverse("adoption:network", args=[other_network.slug])).content.decode()
    assert 'id="flows-in"' in page and "Test Region" in page
    page = client.get(reverse("adoption:innovation", args=[network.slug, two_networks.slug])).content.decode()
    assert 'id="arrivals-table"' in page and "Other Region" in page


def test_pages_say_plainly_when_there_are_no_flows(db, client):
    page = client.get(reverse("adoption:national")).content.decode()
    assert "no flows between networks" in page and "No innovation has been chosen" in page


def test_a_programme_counts_only_its_target_sites(two_networks, facilitator):
    programme = services.programme_create(
        name="Virtual wards everywhere", slug="virtual-wards", innovation=two_networks, starts_on=dt.date(2023, 1, 1),
        target_sites=list(Site.objects.filter(ods_code__in=["A81002", "RTD", "QHM"])), actor=facilitator)
    progress = selectors.programme_progress(programme, as_of=dt.date(2024, 1, 1))
    assert (progress.targets, progress.adopting_now, progress.ever_adopted) == (3, 1, 1)
    assert progress.share == pytest.approx(1 / 3)
    assert [s.ods_code for s, _ in progress.sites][-1] == "RTD"  # not yet adopting first


def test_only_staff_start_programmes_and_bad_input_is_refused(two_networks, facilitator, other_admin):
    sites = list(Site.objects.filter(ods_code="RTD"))
    with pytest.raises(PermissionDenied):
        services.programme_create(name="X", slug="x", innovation=two_networks, starts_on=dt.date(2023, 1, 1),
                                  target_sites=sites, actor=other_admin)
    with pytest.raises(ValidationError, match="at least one"):
        services.programme_create(name="X", slug="x", innovation=two_networks, starts_on=dt.date(2023, 1, 1),
                                  target_sites=[], actor=facilitator)
    with pytest.raises(ValidationError, match="end before"):
        services.programme_create(name="X", slug="x", innovation=two_networks, starts_on=dt.date(2023, 1, 1),
                                  ends_on=dt.date(2022, 1, 1), target_sites=sites, actor=facilitator)
    assert not NationalProgramme.objects.exists()


def test_a_facilitator_starts_a_programme_from_the_page(two_networks, network, facilitator, client_for, client):
    c = client_for(facilitator)
    url = reverse("adoption:programme_new", args=[network.slug])
    data = {"name": "Virtual wards everywhere", "innovation": f"{network.slug}/{two_networks.slug}",
            "starts_on": "2023-01-01", "target_codes": "a81002, RTD\nZZZ99"}
    bad = c.post(url, data)
    assert bad.status_code == 200 and b"ZZZ99" in bad.content
    data["target_codes"] = "a81002, RTD"
    response = c.post(url, data)
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert 'id="adopting-now">1<' in page and "Queens Park Medical Centre" in page
    assert "Virtual wards everywhere" in c.get(reverse("adoption:programmes")).content.decode()


@pytest.mark.parametrize(("persona", "expected"), [
    (None, 302), ("patient", 403), ("industry_member", 403), ("other_admin", 403), ("facilitator", 200),
])
def test_only_the_networks_facilitators_may_start_a_programme(request, network, client, client_for, persona,
                                                              expected):
    c = client_for(request.getfixturevalue(persona)) if persona else client
    assert c.get(reverse("adoption:programme_new", args=[network.slug])).status_code == expected


def test_programme_pages_are_public(db, client):
    assert client.get(reverse("adoption:programmes")).status_code == 200
    assert client.get(reverse("adoption:programme", args=["nothing"])).status_code == 404
    assert Network.objects.count() >= 0
