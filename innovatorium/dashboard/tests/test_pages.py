from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from innovatorium.dashboard import selectors, services
from innovatorium.dashboard.models import ReportedFigure

PERSONAS = ["anonymous", "patient", "industry_member", "facilitator", "other_admin"]
EXPECTED = {
    # persona: (public, staff)
    "anonymous": (200, 302),
    "patient": (200, 403),
    "industry_member": (200, 403),
    "facilitator": (200, 200),
    "other_admin": (200, 403),
}


def _client(request, persona, client):
    if persona == "anonymous":
        return client
    client.force_login(request.getfixturevalue(persona).user)
    return client


def _figure(network, facilitator, last_year, **kwargs):
    values = {"kind": "investment", "amount": "250000", "period_start": last_year[0], "period_end": last_year[1],
              "source": "Annual report 2024/25, p. 12"}
    values.update(kwargs)
    return services.reported_figure_add(network=network, actor=facilitator, **values)


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(request, client, persona, network, facilitator, last_year):
    figure = _figure(network, facilitator, last_year)
    n = network.slug
    urls = {
        "national": (reverse("dashboard:national"), "public"),
        "csv": (reverse("dashboard:export_csv"), "public"),
        "json": (reverse("dashboard:export_json"), "public"),
        "reported_national": (reverse("dashboard:reported_national"), "public"),
        "reported_csv": (reverse("dashboard:reported_csv"), "public"),
        "network": (reverse("dashboard:network", args=[n]), "public"),
        "reported": (reverse("dashboard:reported", args=[n]), "public"),
        "report": (reverse("dashboard:report", args=[n]), "staff"),
        "import": (reverse("dashboard:import", args=[n]), "staff"),
        "withdraw": (reverse("dashboard:withdraw", args=[n, figure.pk]), "staff"),
    }
    c = _client(request, persona, client)
    failures = []
    for name, (url, level) in urls.items():
        expected = dict(zip(("public", "staff"), EXPECTED[persona], strict=True))[level]
        status = c.get(url).status_code
        if status != expected:
            failures.append(f"{name}: {status} != {expected}")
    assert failures == []


def test_another_networks_admin_cannot_post_a_figure_or_withdraw_one(client, network, other_admin, facilitator,
                                                                     last_year):
    figure = _figure(network, facilitator, last_year)
    client.force_login(other_admin.user)
    response = client.post(reverse("dashboard:report", args=[network.slug]), {
        "kind": "jobs", "amount": "3", "period_start": "2024-01-01", "period_end": "2024-12-31", "source": "x"})
    assert response.status_code == 403
    response = client.post(reverse("dashboard:withdraw", args=[network.slug, figure.pk]), {"reason": "mine now"})
    assert response.status_code == 403
    assert ReportedFigure.objects.get().counted


def test_a_figure_of_one_network_is_not_withdrawn_under_another_networks_address(client, network, other_network,
                                                                                  facilitator, last_year):
    figure = _figure(network, facilitator, last_year)
    client.force_login(facilitator.user)
    assert client.get(reverse("dashboard:withdraw", args=[other_network.slug, figure.pk])).status_code == 404


def test_the_national_page_shows_every_figure_with_its_method_and_records(client, network, adopted, facilitator,
                                                                          last_year):
    _figure(network, facilitator, last_year)
    _figure(network, facilitator, last_year, kind="jobs", amount="4.5")
    html = client.get(reverse("dashboard:national")).content.decode()
    for key, (label, _unit, _group, method) in selectors.FIGURES.items():
        assert label in html, key
        assert method.replace("'", "&#x27;") in html, key
    assert "£250,000" in html and "4.5" in html
    assert "510,000" in html  # trust 500,000 + a practice under the ICB 10,000
    assert reverse("dashboard:network", args=[network.slug]) in html
    assert reverse("adoption:export_csv") + "?adopting=1" in html


def test_the_national_page_answers_in_a_fixed_number_of_queries(client, network, other_network, adopted, facilitator,
                                                                 last_year, django_assert_max_num_queries):
    for i in range(5):
        _figure(network, facilitator, (last_year[0].replace(day=1 + i), last_year[1]))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dashboard:national"))
    assert response.status_code == 200


def test_an_empty_site_says_plainly_that_nothing_is_there(client, network):
    html = client.get(reverse("dashboard:national")).content.decode()
    assert "None yet" in html  # no team places, so no share
    html = client.get(reverse("dashboard:reported", args=[network.slug])).content.decode()
    assert "has not reported investment or jobs yet" in html
    html = client.get(reverse("dashboard:reported_national") + "?kind=jobs").content.decode()
    assert "No network has reported jobs created yet" in html


def test_the_network_page_shows_the_same_numbers_as_its_row_in_the_national_table(client, network, adopted):
    scope = selectors.network_dashboard(network=network)
    board = selectors.dashboard()
    row = next(s for s in board.networks if s.network == network)
    assert {k: f.value for k, f in scope.figures.items()} == {k: f.value for k, f in row.figures.items()}
    assert scope.figures["sites"].value == 2 and scope.figures["patients"].value == 150
    html = client.get(reverse("dashboard:network", args=[network.slug])).content.decode()
    assert "Population covered" in html and "510,000" in html


def test_england_adds_up_the_networks_money_and_involvement(network, other_network, facilitator, last_year):
    from innovatorium.factories import member
    from innovatorium.people.models import Role

    other = member(other_network, "nhs", role=Role.FACILITATOR).person
    _figure(network, facilitator, last_year, amount="100.50")
    services.reported_figure_add(network=other_network, actor=other, kind="investment", amount="200",
                                 period_start=last_year[0], period_end=last_year[1], source="s")
    withdrawn = _figure(network, facilitator, (last_year[0], last_year[0]), amount="999")
    services.reported_figure_withdraw(figure=withdrawn, actor=facilitator, reason="Wrong period")
    board = selectors.dashboard()
    assert board.england.figures["investment"].value == Decimal("300.50")
    assert sum(s.figures["investment"].value for s in board.networks) == Decimal("300.50")


def test_csv_and_json_downloads_hold_england_and_every_network(client, network, other_network, adopted):
    body = client.get(reverse("dashboard:export_csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    from innovatorium.networks.models import Network

    assert rows[0]["scope"] == "england"
    assert sorted(r["scope"] for r in rows[1:]) == sorted(Network.objects.values_list("slug", flat=True))
    assert rows[0]["sites"] == "2" and rows[0]["population"] == "510000"
    data = json.loads(client.get(reverse("dashboard:export_json")).content)
    assert set(data["methods"]) == set(selectors.FIGURES)
    figures = {f["key"]: f for f in data["england"]["figures"]}
    assert figures["sites"]["value"] == 2
    assert figures["investment"]["value"] == "0.00"
    assert figures["sites"]["records_url"].startswith("http://testserver/")
    assert {n["scope"] for n in data["networks"]} >= {network.slug, other_network.slug}


def test_reported_figures_list_filters_by_kind_and_shows_withdrawn_ones_marked(client, network, facilitator,
                                                                              last_year):
    _figure(network, facilitator, last_year, kind="jobs", amount="3")
    gone = _figure(network, facilitator, last_year)
    services.reported_figure_withdraw(figure=gone, actor=facilitator, reason="Replaced by the audited figure")
    html = client.get(reverse("dashboard:reported", args=[network.slug])).content.decode()
    assert "Withdrawn" in html and "Replaced by the audited figure" in html
    html = client.get(reverse("dashboard:reported", args=[network.slug]) + "?kind=jobs").content.decode()
    assert "Annual report" in html and "Replaced by" not in html
    body = client.get(reverse("dashboard:reported_csv") + f"?network={network.slug}").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["counted"] for r in rows} == {"True", "False"}
    assert facilitator.display_name not in body


def test_a_facilitator_reports_a_figure_from_the_form(client, network, facilitator, adopted):
    client.force_login(facilitator.user)
    response = client.post(reverse("dashboard:report", args=[network.slug]), {
        "kind": "investment", "amount": "£1,000,000", "period_start": "2024-04-01", "period_end": "2025-03-31",
        "innovation": str(adopted.pk), "source": "Series A announcement", "source_url": "https://example.org/a",
        "note": "",
    })
    assert response.status_code == 302
    figure = ReportedFigure.objects.get()
    assert figure.amount == Decimal("1000000.00") and figure.innovation == adopted


def test_bad_input_in_the_form_shows_on_the_field_and_writes_nothing(client, network, facilitator):
    client.force_login(facilitator.user)
    response = client.post(reverse("dashboard:report", args=[network.slug]), {
        "kind": "jobs", "amount": "three", "period_start": "2025-04-01", "period_end": "2024-03-31",
        "source": "x", "innovation": "",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "The amount must be a number" in html
    assert not ReportedFigure.objects.exists()


def test_a_refused_import_lists_each_problem_and_imports_nothing(client, network, facilitator):
    client.force_login(facilitator.user)
    data = (b"kind,amount,period_start,period_end,source\n"
            b"jobs,x,2024-01-01,2024-12-31,a\nwhat,1,2024-01-01,2024-12-31,b\n")
    response = client.post(reverse("dashboard:import", args=[network.slug]),
                           {"file": SimpleUploadedFile("f.csv", data, content_type="text/csv")})
    html = response.content.decode()
    assert "Nothing was imported: 2 problems" in html
    assert "line 2, column “amount”" in html and "line 3, column “kind”" in html
    assert not ReportedFigure.objects.exists()


def test_a_good_import_from_the_page_lands_on_the_list(client, network, facilitator):
    client.force_login(facilitator.user)
    data = b"kind,amount,period_start,period_end,source\njobs,2,2024-01-01,2024-12-31,Accounts\n"
    response = client.post(reverse("dashboard:import", args=[network.slug]),
                           {"file": SimpleUploadedFile("f.csv", data, content_type="text/csv")})
    assert response.status_code == 302
    assert ReportedFigure.objects.get().amount == Decimal("2.00")


def test_the_home_page_links_to_the_dashboard(client, network):
    assert reverse("dashboard:national") in client.get(reverse("core:home")).content.decode()
