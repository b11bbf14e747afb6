from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innovatorium.dashboard import services
from innovatorium.dashboard.models import ReportedFigure
from innovatorium.record.models import RecordEntry


def _add(network, actor, last_year, **kwargs):
    start, end = last_year
    values = {"kind": "investment", "amount": "£250,000", "period_start": start, "period_end": end,
              "source": "Annual report, p. 12", "source_url": "https://example.org/report.pdf"}
    values.update(kwargs)
    return services.reported_figure_add(network=network, actor=actor, **values)


def test_a_facilitator_reports_investment_and_it_goes_on_the_public_record(network, facilitator, last_year):
    figure = _add(network, facilitator, last_year)
    assert figure.amount == Decimal("250000.00")
    entry = RecordEntry.objects.get(action="dashboard.figure.reported")
    assert entry.payload["amount"] == "250000.00"
    assert entry.payload["source"] == "Annual report, p. 12"
    assert facilitator.display_name not in str(entry.payload)


def test_jobs_may_be_fractional_full_time_equivalents(network, facilitator, last_year):
    figure = _add(network, facilitator, last_year, kind="jobs", amount="2.5")
    assert figure.amount == Decimal("2.50")


def test_a_member_who_is_not_staff_cannot_report_figures(network, patient, last_year):
    with pytest.raises(PermissionDenied):
        _add(network, patient, last_year)
    assert not ReportedFigure.objects.exists()


def test_another_networks_admin_cannot_report_for_this_network(network, other_admin, last_year):
    with pytest.raises(PermissionDenied):
        _add(network, other_admin, last_year)


@pytest.mark.parametrize(("field", "changes"), [
    ("amount", {"amount": "-5"}),
    ("amount", {"amount": "12.345"}),
    ("amount", {"amount": "lots"}),
    ("amount", {"amount": "NaN"}),
    ("period_end", {"period_end": dt.date(2019, 1, 1), "period_start": dt.date(2020, 1, 1)}),
    ("period_end", {"period_end": timezone.localdate() + dt.timedelta(days=1)}),
    ("period_start", {"period_start": dt.date(1999, 1, 1)}),
    ("source", {"source": "   "}),
    ("source_url", {"source_url": "javascript:alert(1)"}),
    ("kind", {"kind": "vibes"}),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(network, facilitator, last_year, field, changes):
    with pytest.raises(ValidationError) as caught:
        _add(network, facilitator, last_year, **changes)
    assert field in caught.value.message_dict
    assert not ReportedFigure.objects.exists()


def test_the_same_figure_for_the_same_period_is_refused_until_the_first_is_withdrawn(network, facilitator, last_year):
    first = _add(network, facilitator, last_year)
    with pytest.raises(ValidationError, match="already reported"):
        _add(network, facilitator, last_year, amount="300000")
    services.reported_figure_withdraw(figure=first, actor=facilitator, reason="Replaced by the audited figure")
    second = _add(network, facilitator, last_year, amount="300000")
    assert second.counted and not ReportedFigure.objects.get(pk=first.pk).counted


def test_withdrawing_needs_a_reason_and_happens_once(network, facilitator, last_year):
    figure = _add(network, facilitator, last_year)
    with pytest.raises(ValidationError):
        services.reported_figure_withdraw(figure=figure, actor=facilitator, reason=" ")
    services.reported_figure_withdraw(figure=figure, actor=facilitator, reason="Entered twice")
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.reported_figure_withdraw(figure=figure, actor=facilitator, reason="Again")
    assert RecordEntry.objects.filter(action="dashboard.figure.withdrawn").count() == 1


def test_a_draft_innovation_cannot_carry_a_figure(network, facilitator, last_year):
    from innovatorium.atlas import services as atlas_services

    draft = atlas_services.innovation_create(network=network, actor=facilitator, name="Secret", summary="s",
                                             innovation_type="digital")
    with pytest.raises(ValidationError) as caught:
        _add(network, facilitator, last_year, innovation=draft)
    assert "innovation" in caught.value.message_dict


# --- CSV import --------------------------------------------------------------------------------------------

GOOD = ("kind,amount,period_start,period_end,source,innovation,source_url,note\n"
        "investment,\"£1,200,000\",2024-04-01,2025-03-31,Company accounts 2024/25,{inn},https://example.org/a,\n"
        "jobs,4.5,01/04/2024,31/03/2025,Company accounts 2024/25,{inn},,Full-time equivalents\n"
        "investment,50000,2024-04-01,2025-03-31,Network annual report,,,\n")


def test_an_import_writes_every_row_with_one_record_entry(network, facilitator, adopted):
    created = services.reported_figures_import(
        network=network, actor=facilitator, data=GOOD.format(inn=f"{network.slug}/{adopted.slug}").encode())
    assert len(created) == 3
    assert ReportedFigure.objects.filter(innovation=adopted).count() == 2
    entry = RecordEntry.objects.get(action="dashboard.figures.imported")
    assert entry.payload["rows"] == 3 and entry.payload["investment"] == "1250000.00"


def test_a_bare_innovation_slug_is_found_in_the_network(network, facilitator, adopted):
    services.reported_figures_import(network=network, actor=facilitator, data=GOOD.format(inn=adopted.slug))
    assert ReportedFigure.objects.filter(innovation=adopted).count() == 2


def test_one_bad_row_imports_nothing_and_names_its_line_and_column(network, facilitator, adopted):
    data = GOOD.format(inn=adopted.slug) + "jobs,-1,2024-04-01,2025-03-31,x,nope,,\n"
    with pytest.raises(services.ImportRejected) as caught:
        services.reported_figures_import(network=network, actor=facilitator, data=data)
    where = {(e.line, e.column) for e in caught.value.errors}
    assert where == {(5, "amount"), (5, "innovation")}
    assert not ReportedFigure.objects.exists()
    assert not RecordEntry.objects.filter(action="dashboard.figures.imported").exists()


def test_a_row_repeated_in_the_file_or_already_reported_is_refused(network, facilitator, last_year):
    _add(network, facilitator, last_year, kind="jobs", amount="3")
    start, end = last_year
    data = ("kind,amount,period_start,period_end,source\n"
            f"jobs,3,{start},{end},Accounts\n"
            f"investment,10,{start},{end},Accounts\n"
            f"investment,10,{start},{end},Accounts\n")
    with pytest.raises(services.ImportRejected) as caught:
        services.reported_figures_import(network=network, actor=facilitator, data=data)
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, "period_end"), (4, "period_end")]


@pytest.mark.parametrize("data", [b"", b"\n\n", b"kind,amount\n", b"kind,amount,period_start,period_end,source\n",
                                  b"\x00\x01binary", b"kind,amount,period_start,period_end,source,colour\n"])
def test_files_without_figures_or_with_a_wrong_header_are_refused_plainly(network, facilitator, data):
    with pytest.raises(services.ImportRejected) as caught:
        services.reported_figures_import(network=network, actor=facilitator, data=data)
    assert caught.value.errors[0].line == 1
    assert not ReportedFigure.objects.exists()


def test_an_import_by_someone_who_is_not_staff_is_refused(network, patient):
    with pytest.raises(PermissionDenied):
        services.reported_figures_import(network=network, actor=patient, data=GOOD.format(inn=""))


def test_erasing_the_person_who_entered_a_figure_keeps_the_figure_and_its_count(network, facilitator, last_year):
    from innovatorium.dashboard.privacy import erase_person

    figure = _add(network, facilitator, last_year)
    erase_person(person=facilitator)
    figure.refresh_from_db()
    assert figure.reported_by is None and figure.counted and figure.amount == Decimal("250000.00")
