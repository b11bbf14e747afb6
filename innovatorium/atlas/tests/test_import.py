from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from innovatorium.atlas import importer
from innovatorium.atlas.models import CaseStudy, Innovation, PublicationStatus
from innovatorium.factories import PersonFactory, UserFactory
from innovatorium.record.models import RecordEntry

HEADER = "network,name,summary,innovation_type,stage,care_settings,clinical_areas,cqc_registered,owner_organisation\n"
GOOD = HEADER + (
    "test-region,Text-a-nurse,Young people text their school nurse.,digital,adoption,schools,children;mental-health,no,"
    "Leeds Community Healthcare\n"
    'test-region,"Florence, telehealth by text","Patients send readings by text,\n and get advice.",digital,spread,'
    "home;primary-care,long-term-conditions,yes,\n"
)


def errors_for(text: str | bytes) -> list[importer.RowError]:
    data = text.encode() if isinstance(text, str) else text
    return importer.validate(data).errors


def test_a_good_file_imports_every_row_published_and_on_the_record(network):
    result = importer.import_file(GOOD.encode(), actor=None)
    assert (result.kind, result.created, result.published) == ("innovations", 2, 2)
    florence = Innovation.objects.get(name="Florence, telehealth by text")
    assert florence.status == PublicationStatus.PUBLISHED
    assert florence.cqc_registered is True
    assert sorted(florence.care_settings.values_list("slug", flat=True)) == ["home", "primary-care"]
    assert "\n and get advice." in florence.summary
    assert Innovation.objects.get(name="Text-a-nurse").owner_organisation.name == "Leeds Community Healthcare"
    assert RecordEntry.objects.filter(action="atlas.innovation.published").count() == 2


def test_a_file_with_one_bad_row_imports_nothing(network):
    bad = GOOD + "test-region,Third,Fine,digital,warp-speed,,,,\n"
    with pytest.raises(importer.ImportRejected) as caught:
        importer.import_file(bad.encode(), actor=None)
    assert [(e.line, e.column) for e in caught.value.errors] == [(5, "stage")]
    assert Innovation.objects.count() == 0
    assert not RecordEntry.objects.filter(action__startswith="atlas.").exists()


def test_every_bad_row_is_reported_with_line_column_and_reason(network):
    text = HEADER + (
        "test-region,,Summary,digital,,,,,\n"                      # line 2: empty name
        "nowhere,Thing,Summary,digital,,,,,\n"                     # line 3: unknown network
        "test-region,Gizmo,Summary,spaceship,,,,,\n"               # line 4: unknown type
        "test-region,Widget,Summary,digital,,wards,heart,,\n"      # line 5: unknown taxonomy terms (2)
        "test-region,Widget,Summary,digital,,,,maybe,\n"           # line 6: duplicate name, bad yes/no
        f"test-region,{'x' * 201},Summary,digital,,,,,\n"          # line 7: oversized name
        "test-region,Extra,Summary,digital,,,,,,surplus\n"         # line 8: too many cells
    )
    found = {(e.line, e.column) for e in errors_for(text)}
    assert found == {
        (2, "name"), (3, "network"), (4, "innovation_type"), (5, "care_settings"), (5, "clinical_areas"),
        (6, "name"), (6, "cqc_registered"), (7, "name"), (8, ""),
    }
    messages = {str(e) for e in errors_for(text)}
    assert "line 6, column “name”: “Widget” appears twice in Test Region: also on line 5." in messages
    assert any("Unknown term(s): wards" in m for m in messages)
    assert any("Too long: 201 characters" in m for m in messages)


def test_a_name_already_in_the_atlas_is_a_duplicate(network):
    importer.import_file(GOOD.encode(), actor=None)
    errors = errors_for(GOOD)
    assert [(e.line, e.column) for e in errors] == [(2, "name"), (3, "name")]
    assert "already has one called" in errors[0].reason


def test_a_file_that_is_not_utf8_is_refused_with_the_line_of_the_bad_byte(network):
    data = GOOD.encode() + "test-region,Caf\u00e9 app,Summary,digital,,,,,\n".encode("latin-1")
    errors = errors_for(data)
    assert len(errors) == 1
    assert errors[0].line == 5  # physical lines: the quoted summary above spans two
    assert "not UTF-8" in errors[0].reason


def test_missing_unknown_and_repeated_columns_are_reported_on_line_one(network):
    errors = errors_for("network,name,colour,name\ntest-region,A,red,B\n")
    assert {(e.line, e.column) for e in errors} == {(1, "summary"), (1, "innovation_type"), (1, "colour"),
                                                    (1, "name")}


def test_an_empty_file_or_a_header_alone_is_refused(network):
    assert "empty" in errors_for("")[0].reason
    assert "no rows" in errors_for(HEADER)[0].reason


def test_an_unclosed_quote_and_a_nul_byte_are_reported_not_crashed_on(network):
    assert errors_for(HEADER + 'test-region,"Unclosed,Summary,digital,,,,,\n')
    assert errors_for(HEADER + "test-region,N\x00ul,Summary,digital,,,,,\n")


def test_html_in_a_cell_is_kept_as_text(network):
    text = HEADER + 'test-region,<script>alert(1)</script>,"<b>Bold</b> claim",digital,,,,,\n'
    importer.import_file(text.encode(), actor=None)
    innovation = Innovation.objects.get()
    assert innovation.name == "<script>alert(1)</script>"
    assert innovation.summary == "<b>Bold</b> claim"


def test_case_studies_import_and_link_to_their_innovation(network):
    importer.import_file(GOOD.encode(), actor=None)
    text = ("network,title,what_was_done,innovation,impact\n"
            "test-region,Texting in Leeds,Rolled out to 40 schools.,text-a-nurse,More contacts.\n"
            "test-region,Unknown link,Did things.,no-such-thing,\n")
    errors = errors_for(text)
    assert [(e.line, e.column) for e in errors] == [(3, "innovation")]
    importer.import_file(text.rsplit("test-region,Unknown", 1)[0].encode(), actor=None)
    case_study = CaseStudy.objects.get()
    assert case_study.innovation.name == "Text-a-nurse"
    assert case_study.status == PublicationStatus.PUBLISHED


def test_the_command_imports_a_good_file(network, tmp_path):
    path = tmp_path / "atlas.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_atlas", str(path), stdout=out, stderr=StringIO())
    assert "Imported 2 innovations (2 published)." in out.getvalue()


def test_the_command_lists_every_problem_and_imports_nothing(network, tmp_path):
    path = tmp_path / "atlas.csv"
    path.write_text(HEADER + "test-region,,Summary,digital,,,,,\nnowhere,X,Y,digital,,,,,\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_atlas", str(path), stdout=StringIO(), stderr=err)
    assert "line 2, column “name”" in err.getvalue()
    assert "line 3, column “network”" in err.getvalue()
    assert Innovation.objects.count() == 0


def test_the_admin_import_page_imports_or_lists_problems(client, network):
    admin = PersonFactory(user=UserFactory(is_staff=True, is_superuser=True))
    client.force_login(admin.user)
    url = reverse("admin:atlas_import")
    bad = SimpleUploadedFile("bad.csv", (HEADER + "nowhere,X,Y,digital,,,,,\n").encode(), "text/csv")
    response = client.post(url, {"file": bad, "publish": "on"})
    assert response.status_code == 200
    assert "No network is called" in response.content.decode()
    good = SimpleUploadedFile("good.csv", GOOD.encode(), "text/csv")
    response = client.post(url, {"file": good, "publish": "on"})
    assert response.status_code == 302
    assert Innovation.objects.filter(status=PublicationStatus.PUBLISHED).count() == 2


def test_only_superusers_reach_the_admin_import(client_for, facilitator):
    assert client_for(facilitator).get(reverse("admin:atlas_import")).status_code in (302, 403)
