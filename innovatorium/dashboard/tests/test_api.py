from __future__ import annotations

from innovatorium.dashboard import services


def test_the_api_gives_every_figure_with_its_method(client, network, adopted):
    data = client.get("/api/dashboard/figures").json()
    assert data["england"]["scope"] == "england"
    figures = {f["key"]: f for f in data["england"]["figures"]}
    assert figures["sites"]["value"] == 2
    assert figures["population"]["value"] == 510000
    assert "nobody is counted twice for one innovation" in data["methods"]["population"]["method"]


def test_the_api_lists_reported_figures_without_who_entered_them(client, network, facilitator, last_year):
    services.reported_figure_add(network=network, actor=facilitator, kind="jobs", amount="2.5",
                                 period_start=last_year[0], period_end=last_year[1], source="Accounts")
    response = client.get(f"/api/dashboard/reported?network={network.slug}&kind=jobs")
    data = response.json()
    assert data["count"] == 1 and data["items"][0]["amount"] == "2.50"
    assert facilitator.display_name not in response.content.decode()
    assert client.get("/api/dashboard/reported?network=nowhere").status_code == 404
    assert client.get("/api/dashboard/reported?kind=vibes").status_code == 422
