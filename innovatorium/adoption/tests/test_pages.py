from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from innovatorium.adoption import selectors, services
from innovatorium.adoption.importers import import_adoptions
from innovatorium.adoption.models import Adoption, Site

HEADER = "ods_code,innovation,status,date,reason,population_covered,patients_reached,source\n"


@pytest.fixture
def adopted(register, innovation, facilitator):
    slug = f"{innovation.network.slug}/{innovation.slug}"
    rows = [f"A81001,{slug},adopted,2023-0{m}-01,,,5,report" for m in [1]]
    rows += [f"A81002,{slug},adopted,2023-03-01,,,7,report", f"QHM,{slug},adopted,2023-06-01,,,,report"]
    import_adoptions(HEADER + "\n".join(rows) + "\n", actor=facilitator)
    return innovation


def test_population_is_counted_once_by_the_parent_rule(adopted):
    figures = selectors.headline(selectors.adopting_rows(), selectors.site_arrays())
    # the two practices sit inside the ICB, which also adopts: only the ICB's 3,000,000 is added
    assert figures.population == 3_000_000
    assert (figures.innovations, figures.sites, figures.patients, figures.counted_rows) == (1, 3, 12, 1)


def test_a_discontinued_parent_leaves_the_units_uncovered(adopted, facilitator):
    services.adoption_record(innovation=adopted, site=Site.objects.get(ods_code="QHM"), status="discontinued",
                             on=dt.date(2024, 1, 1), reason="Contract ended", actor=facilitator)
    equity = selectors.equity_table(selectors.adopting_rows(), selectors.site_arrays())
    shares = {r["decile"]: r["share"] for r in equity.rows}
    assert shares[1] == shares[9] == 1.0 and shares[5] == 0.0
    # covered: 10,000 in decile 1 and 20,000 in decile 9; the larger covered group is the less deprived
    assert equity.concentration_index > 0


def test_without_the_parent_the_practices_are_added(adopted, facilitator):
    services.adoption_record(innovation=adopted, site=Site.objects.get(ods_code="QHM"), status="discontinued",
                             on=dt.date(2024, 1, 1), reason="Contract ended", actor=facilitator)
    figures = selectors.headline(selectors.adopting_rows(), selectors.site_arrays())
    assert figures.population == 30_000


def test_equity_covers_the_units_beneath_an_adopting_site(adopted):
    equity = selectors.equity_table(selectors.adopting_rows(), selectors.site_arrays())
    shares = {r["decile"]: r["share"] for r in equity.rows}
    # units: the two practices and the trust (no children); the adopting ICB covers all three
    assert shares[1] == shares[5] == shares[9] == 1.0 and shares[2] is None
    assert equity.rows[0]["population"] == 10_000


def test_services_refuse_bad_input(register, innovation, facilitator):
    site = Site.objects.get(ods_code="A81001")
    with pytest.raises(ValidationError, match="future"):
        services.adoption_record(innovation=innovation, site=site, status="adopted",
                                 on=timezone.localdate() + dt.timedelta(days=2), actor=facilitator)
    with pytest.raises(ValidationError, match="more than"):
        services.adoption_record(innovation=innovation, site=site, status="adopted", on=dt.date(2023, 1, 1),
                                 population_covered=10_001, actor=facilitator)
    services.adoption_record(innovation=innovation, site=site, status="embedded", on=dt.date(2023, 1, 1),
                             actor=facilitator)
    with pytest.raises(ValidationError, match="needs a reason"):
        services.adoption_record(innovation=innovation, site=site, status="piloting", on=dt.date(2023, 2, 1),
                                 actor=facilitator)
    assert Adoption.objects.get().status == "embedded"


def test_the_national_page_shows_figures_in_few_queries(adopted, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = client.get(reverse("adoption:national"))
    assert response.status_code == 200
    assert b"3,000,000" in response.content and b"Rows behind this" in response.content


def test_the_innovation_page_shows_spread_and_equity(adopted, client):
    response = client.get(reverse("adoption:innovation", args=[adopted.network.slug, adopted.slug]))
    assert response.status_code == 200
    assert b"equity-table" in response.content and b"spread-table" in response.content
    for name in ("curve_svg", "equity_svg"):
        svg = client.get(reverse(f"adoption:{name}", args=[adopted.network.slug, adopted.slug]))
        assert svg["Content-Type"].startswith("image/svg+xml") and b"<title>" in svg.content


def test_exports_say_which_rows_were_counted(adopted, client):
    body = b"".join(client.get(reverse("adoption:export_csv") + "?adopting=1").streaming_content).decode()
    assert body.count("\n") == 4 and "counted_in_population" in body
    data = client.get(reverse("adoption:export_json")).json()
    assert sorted(r["counted_in_population"] for r in data["adoptions"]) == [False, False, True]


@pytest.mark.parametrize(("persona", "expected"), [
    (None, 302), ("patient", 403), ("industry_member", 403), ("other_admin", 403), ("facilitator", 200),
])
def test_only_the_networks_facilitators_may_import(request, network, client, client_for, persona, expected):
    c = client_for(request.getfixturevalue(persona)) if persona else client
    assert c.get(reverse("adoption:import", args=[network.slug])).status_code == expected


@pytest.mark.parametrize("persona", [None, "patient", "facilitator", "other_admin"])
def test_spread_pages_are_public(request, adopted, client, client_for, persona):
    c = client_for(request.getfixturevalue(persona)) if persona else client
    assert c.get(reverse("adoption:national")).status_code == 200
    assert c.get(reverse("adoption:network", args=[adopted.network.slug])).status_code == 200


def test_a_facilitator_uploads_a_file_and_sees_row_errors(register, innovation, facilitator, client_for):
    c = client_for(facilitator)
    bad = HEADER + "ZZZ99,x,adopted,2023-01-01,,,,\n"
    response = c.post(reverse("adoption:import", args=[innovation.network.slug]),
                      {"kind": "adoptions", "file": SimpleUploadedFile("a.csv", bad.encode())})
    assert response.status_code == 200 and b"Nothing was imported" in response.content
    good = HEADER + f"A81001,{innovation.network.slug}/{innovation.slug},adopted,2023-01-01,,,,\n"
    response = c.post(reverse("adoption:import", args=[innovation.network.slug]),
                      {"kind": "adoptions", "file": SimpleUploadedFile("a.csv", good.encode())})
    assert response.status_code == 302 and Adoption.objects.count() == 1
