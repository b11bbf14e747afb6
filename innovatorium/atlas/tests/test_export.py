from __future__ import annotations

import csv
import io
import json
import zipfile

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from innovatorium.atlas import export, services
from innovatorium.atlas.export import neutralise


@given(st.text())
def test_a_neutralised_cell_never_starts_with_a_formula_character(value):
    cell = neutralise(value)
    assert not cell.startswith(export.FORMULA_STARTS)
    assert cell.removeprefix("'") == value or cell == value


def test_formula_characters_get_a_leading_apostrophe_and_nothing_else_changes():
    assert [neutralise(v) for v in ["=SUM(A1)", "+44 7700", "-1", "@cmd", "\tx", "\rx", "safe", "", 5]] == [
        "'=SUM(A1)", "'+44 7700", "'-1", "'@cmd", "'\tx", "'\rx", "safe", "", 5,
    ]


def _zip(client):
    response = client.get(reverse("atlas:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_export_holds_public_innovations_only_as_csv_and_json(client, published, draft):
    archive = _zip(client)
    rows = list(csv.DictReader(io.StringIO(archive.read("innovations.csv").decode())))
    assert [r["name"] for r in rows] == [published.name]
    assert rows[0]["clinical_areas"] == "children;mental-health"
    assert rows[0]["cqc_registered"] == "false"
    as_json = json.loads(archive.read("innovations.json"))
    assert [r["name"] for r in as_json] == [published.name]
    evidence = list(csv.DictReader(io.StringIO(archive.read("evidence.csv").decode())))
    assert evidence[0]["independent"] == "true" and evidence[0]["innovation_id"] == str(published.pk)
    co = list(csv.DictReader(io.StringIO(archive.read("co_producers.csv").decode())))
    assert co[0]["name"] == "Youth Panel" and co[0]["constituency"] == "patients_public"


def test_a_formula_in_an_innovation_is_neutralised_in_csv_but_kept_in_json(client, network, facilitator):
    innovation = services.innovation_create(
        network=network, actor=facilitator, name="=HYPERLINK(\"http://evil\")", summary="@SUM(1+1)",
        innovation_type="digital", indicative_cost="-£5 saving",
    )
    services.innovation_publish(innovation=innovation, actor=facilitator)
    archive = _zip(client)
    row = next(csv.DictReader(io.StringIO(archive.read("innovations.csv").decode())))
    assert row["name"] == "'=HYPERLINK(\"http://evil\")"
    assert row["summary"] == "'@SUM(1+1)"
    assert row["indicative_cost"] == "'-£5 saving"
    assert json.loads(archive.read("innovations.json"))[0]["name"] == "=HYPERLINK(\"http://evil\")"


def test_the_datapackage_describes_every_file_in_the_zip_with_its_fields(client, published):
    archive = _zip(client)
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "data-package"
    paths = {r["path"] for r in package["resources"]}
    assert paths == set(archive.namelist()) - {"datapackage.json"}
    for resource in package["resources"]:
        if resource["format"] == "csv":
            header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode())))
            assert header == [f["name"] for f in resource["schema"]["fields"]]
            assert all(f["type"] in {"integer", "string", "boolean", "datetime"} for f in resource["schema"]["fields"])


def test_drafts_case_studies_and_their_evidence_stay_out_of_the_export(client, network, facilitator, draft):
    services.evidence_add(innovation=draft, actor=facilitator, evidence_type="rct", citation="Secret trial")
    services.case_study_create(network=network, actor=facilitator, title="Hidden study", what_was_done="x")
    archive = _zip(client)
    everything = " ".join(archive.read(name).decode() for name in archive.namelist())
    assert "Secret draft gadget" not in everything
    assert "Secret trial" not in everything
    assert "Hidden study" not in everything


def test_the_datapackage_is_served_on_its_own(client):
    response = client.get(reverse("atlas:export_datapackage"))
    assert response.json()["name"] == "innovatorium-atlas"
