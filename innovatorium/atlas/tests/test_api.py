from __future__ import annotations

from innovatorium.atlas import services


def test_the_api_lists_published_innovations_only(client, published, draft):
    body = client.get("/api/atlas/innovations").json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == published.name
    assert body["items"][0]["url"] == published.get_absolute_url()


def test_the_api_gives_an_innovations_details_with_evidence_and_co_producers(client, published):
    body = client.get(f"/api/atlas/innovations/{published.network.slug}/{published.slug}").json()
    assert body["stage"] == "adoption"
    assert body["clinical_areas"] == ["children", "mental-health"]
    assert body["evidence"][0]["independent"] is True
    assert body["co_producers"][0] == {"kind": "organisation", "name": "Youth Panel",
                                       "constituency": "patients_public", "role": "Tested the service"}


def test_the_api_hides_drafts(client, draft):
    assert client.get(f"/api/atlas/innovations/{draft.network.slug}/{draft.slug}").status_code == 404


def test_the_api_searches_with_facets(client, published):
    body = client.get("/api/atlas/search", {"q": "nurse", "stage": "adoption"}).json()
    assert body["total"] == 1
    assert body["hits"][0]["url"] == published.get_absolute_url()
    assert any(f["value"] == "adoption" and f["selected"] for f in body["facets"]["stage"])


def test_the_api_lists_and_details_case_studies(client, network, facilitator, published):
    services.case_study_create(network=network, actor=facilitator, title="Texting in Leeds", what_was_done="Done.",
                               innovation=published, publish=True)
    services.case_study_create(network=network, actor=facilitator, title="Draft study", what_was_done="Not yet.")
    body = client.get("/api/atlas/case-studies").json()
    assert [c["title"] for c in body["items"]] == ["Texting in Leeds"]
    detail = client.get(f"/api/atlas/case-studies/{network.slug}/texting-in-leeds").json()
    assert detail["innovation"] == published.get_absolute_url()
    assert client.get(f"/api/atlas/case-studies/{network.slug}/draft-study").status_code == 404


def test_the_api_serves_the_export(client, published):
    assert client.get("/api/atlas/export.zip")["Content-Type"] == "application/zip"
    assert client.get("/api/atlas/datapackage.json").json()["profile"] == "data-package"
