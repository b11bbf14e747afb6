from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from innovatorium.impact.models import Observation
from innovatorium.impact.tests.conftest import SHIFT, series_csv


def test_the_command_imports_a_file_with_a_progress_bar(measure, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(series_csv(SHIFT))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_observations", measure.network.slug, measure.slug, str(path), stdout=out, stderr=err)
    assert "Imported 20 month(s)" in out.getvalue()
    assert "Checking values.csv" in err.getvalue()
    assert Observation.objects.filter(measure=measure).count() == 20


def test_the_command_refuses_a_bad_file_listing_each_problem(measure, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("period,value\n2024-01,1\n2024-02,lots\n2024-99,2\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_observations", measure.network.slug, measure.slug, str(path), stderr=err,
                     verbosity=0)
    assert "line 3, column “value”" in err.getvalue() and "line 4, column “period”" in err.getvalue()
    assert not Observation.objects.exists()


def test_the_command_names_an_unknown_measure(network, tmp_path):
    with pytest.raises(CommandError, match="No measure"):
        call_command("import_observations", network.slug, "nope", str(tmp_path / "x.csv"))
