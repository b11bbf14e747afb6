from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from innovatorium.adoption.models import Adoption, Site
from innovatorium.adoption.tests.conftest import ICBS, POPULATIONS, PRACTICES, TRUSTS


def command(name, *args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_the_ods_population_and_adoption_commands_import_a_register(tmp_path, network, innovation):
    out, _ = command("import_ods", write(tmp_path, "icb.csv", ICBS), "--layout", "icb", "--network", network.slug)
    assert "Imported 1 row(s)" in out
    command("import_ods", write(tmp_path, "etrust.csv", TRUSTS), "--layout", "trusts")
    command("import_ods", write(tmp_path, "epraccur.csv", PRACTICES), "--layout", "gp")
    command("import_population", write(tmp_path, "pop.csv", POPULATIONS))
    assert Site.objects.get(ods_code="A81001").population == 10_000
    assert Site.objects.get(ods_code="A81001").parent.ods_code == "QHM"
    slug = f"{network.slug}/{innovation.slug}"
    out, _ = command("import_adoptions", write(tmp_path, "a.csv", f"ods_code,innovation,status,date\nA81001,{slug},"
                                                                  "adopted,2023-01-01\n"))
    assert "1 created" in out
    assert Adoption.objects.get().site.ods_code == "A81001"


def test_a_bad_adoption_file_lists_each_problem_by_line_and_column_and_imports_nothing(tmp_path, register,
                                                                                       innovation):
    slug = f"{innovation.network.slug}/{innovation.slug}"
    bad = f"ods_code,innovation,status,date\nA81001,{slug},adopted,2023-01-01\nZZZ999,{slug},adopted,2099-01-01\n"
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_adoptions", write(tmp_path, "bad.csv", bad), stdout=io.StringIO(), stderr=err)
    assert "line 3, column “ods_code”" in err.getvalue()
    assert "line 3, column “date”" in err.getvalue()
    assert not Adoption.objects.exists()


def test_an_ods_file_in_the_wrong_layout_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="nothing was imported"):
        command("import_ods", write(tmp_path, "x.csv", "ods_code,population,imd_decile\nA81001,1,1\n"),
                "--layout", "gp")
    assert not Site.objects.exists()


def test_an_unknown_network_or_missing_file_is_an_error(tmp_path, db):
    with pytest.raises(CommandError, match="No network"):
        command("import_ods", write(tmp_path, "icb.csv", ICBS), "--layout", "icb", "--network", "nowhere")
    with pytest.raises(CommandError, match="Cannot read"):
        command("import_population", str(tmp_path / "missing.csv"))
