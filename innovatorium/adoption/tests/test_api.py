from __future__ import annotations

from innovatorium.adoption.importers import import_adoptions

HEADER = "ods_code,innovation,status,date,reason,population_covered,patients_reached,source\n"


def adopt(innovation, facilitator):
    slug = f"{innovation.network.slug}/{innovation.slug}"
    rows = [f"A81001,{slug},adopted,2023-01-01,,,5,report", f"A81002,{slug},adopted,2023-03-01,,,7,report",
            f"QHM,{slug},adopted,2023-06-01,,,,report"]
    import_adoptions(HEADER + "\n".join(rows) + "\n", actor=facilitator)


def test_national_figures_come_with_their_counting_methods_and_rows(client, register, innovation, facilitator):
    adopt(innovation, facilitator)

    body = client.get("/api/adoption/figures").json()

    figures = {f["key"]: f for f in body["figures"]}
    assert figures["population"]["value"] == 3_000_000  # the practices are inside the adopting ICB
    assert figures["sites"]["value"] == 3 and figures["patients"]["value"] == 12
    assert "once per innovation" in figures["population"]["method"]
    assert "/spread/adoptions.csv?adopting=1" in figures["population"]["rows_url"]
    assert (body["adopting_rows"], body["counted_rows"]) == (3, 1)
    assert {r["decile"] for r in body["equity"]["rows"]} == set(range(1, 11))


def test_a_network_scope_counts_only_its_sites_and_an_unknown_network_is_404(client, register, innovation,
                                                                                 facilitator, network):
    adopt(innovation, facilitator)

    assert client.get(f"/api/adoption/figures?network={network.slug}").json()["scope"] == network.slug
    assert client.get("/api/adoption/figures?network=nowhere").status_code == 404


def test_an_innovations_spread_has_its_curve_figures_and_equity(client, register, innovation, facilitator):
    adopt(innovation, facilitator)

    response = client.get(f"/api/adoption/innovations/{innovation.network.slug}/{innovation.slug}")

    body = response.json()
    assert response.status_code == 200
    assert [p["sites"] for p in body["curve"]][-1] == 3
    assert body["figures"][0]["value"] == 1
    assert f"innovation={innovation.pk}" in body["figures"][0]["rows_url"]
    assert body["bass"] is None or body["bass"]["m"] > 0
    assert body["equity"]["rows"]


def test_an_unpublished_or_unknown_innovation_is_not_found(client, network):
    assert client.get(f"/api/adoption/innovations/{network.slug}/nothing").status_code == 404


def test_sites_are_listed_by_ods_code_with_parents_and_paginated(client, register, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = client.get("/api/adoption/sites?limit=2").json()

    assert body["count"] == 4
    assert [s["ods_code"] for s in body["items"]] == ["A81001", "A81002"]
    assert body["items"][0]["parent"] == "QHM" and body["items"][0]["imd_decile"] == 1
    practices = client.get("/api/adoption/sites?type=gp_practice&offset=1").json()
    assert practices["count"] == 2 and [s["ods_code"] for s in practices["items"]] == ["A81002"]
    assert client.get("/api/adoption/sites?parent=qhm").json()["count"] == 3


def test_flows_and_programmes_are_open_data(client, register, innovation, facilitator, network, other_network):
    import datetime as dt

    from innovatorium.adoption import services
    from innovatorium.adoption.models import Site

    Site.objects.filter(ods_code="RTD").update(network=other_network)
    slug = f"{innovation.network.slug}/{innovation.slug}"
    import_adoptions(HEADER + f"A81001,{slug},adopted,2023-01-01,,,,\nRTD,{slug},adopted,2023-03-02,,,,\n",
                     actor=facilitator)
    body = client.get("/api/adoption/flows").json()
    assert body["flows"] == [{"from_network": network.slug, "to_network": other_network.slug, "innovations": 1}]
    assert body["steps"][0]["median_days"] == 60 and "first network" in body["method"]
    services.programme_create(name="Everywhere", slug="everywhere", innovation=innovation,
                              starts_on=dt.date(2023, 1, 1), target_sites=list(Site.objects.filter(
                                  ods_code__in=["RTD", "A81002"])), actor=facilitator)
    [programme] = client.get("/api/adoption/programmes").json()
    assert (programme["targets"], programme["adopting_now"], programme["share"]) == (2, 1, 0.5)
