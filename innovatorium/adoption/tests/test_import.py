from __future__ import annotations

import datetime as dt

import pytest

from innovatorium.adoption.importers import ImportRejected, import_adoptions, import_ods_sites, import_populations
from innovatorium.adoption.models import Adoption, AdoptionStatusChange, Site, SiteType
from innovatorium.adoption.nhs_number import is_nhs_number
from innovatorium.record.models import RecordEntry

from .conftest import ICBS, PRACTICES

HEADER = "ods_code,innovation,status,date,reason,population_covered,patients_reached,source\n"


def _slug(innovation):
    return f"{innovation.network.slug}/{innovation.slug}"


def test_it_imports_the_ods_layouts_unchanged_with_parents_and_network(register, network):
    practice = Site.objects.get(ods_code="A81001")
    assert practice.type == SiteType.GP_PRACTICE
    assert practice.parent.ods_code == "QHM"
    assert practice.network == network
    assert practice.postcode == "TS18 1HU"
    assert practice.opened_on == dt.date(1974, 4, 1)
    assert practice.population == 10000 and practice.imd_decile == 1
    assert Site.objects.get(ods_code="RTD").parent.ods_code == "QHM"


def test_a_second_ods_import_updates_rather_than_duplicates(register, facilitator):
    result = import_ods_sites(PRACTICES.replace("The Densham Surgery", "Densham"), layout="gp_practices",
                              actor=facilitator)
    assert (result.created, result.updated) == (0, 2)
    assert Site.objects.get(ods_code="A81001").name == "Densham"


def test_an_ods_file_with_a_header_row_is_the_wrong_layout(db, facilitator):
    with pytest.raises(ImportRejected) as exc:
        import_ods_sites("Organisation Code,Name,National Grouping,HLHG,a,b,c,d,e,Postcode,Open,Close\n" + ICBS,
                         layout="icbs", actor=facilitator)
    assert "Wrong layout" in str(exc.value.errors[0])
    assert not Site.objects.exists()


def test_a_short_row_in_an_ods_file_is_refused(db, facilitator):
    with pytest.raises(ImportRejected, match="1 problem"):
        import_ods_sites(ICBS + "QHN,Too short,Y63\n", layout="icbs", actor=facilitator)
    assert not Site.objects.exists()


def test_population_for_an_unknown_site_and_a_bad_decile_are_row_errors(register, facilitator):
    with pytest.raises(ImportRejected) as exc:
        import_populations("ods_code,population,imd_decile\nZZZ99,5,1\nA81001,5,11\n", actor=facilitator)
    assert [(e.line, e.column) for e in exc.value.errors] == [(2, "ods_code"), (3, "imd_decile")]
    assert Site.objects.get(ods_code="A81001").population == 10000


def test_it_imports_adoption_rows_with_history_and_one_record_entry(register, innovation, facilitator):
    before = RecordEntry.objects.count()
    result = import_adoptions(
        HEADER + f"A81001,{_slug(innovation)},piloting,2023-01-10,,,,trial report\n"
                 f"A81001,{_slug(innovation)},adopted,2023-06-01,,9000,120,annual report\n"
                 f"RTD,{_slug(innovation)},embedded,2024-02-01,,400000,,board paper\n",
        actor=facilitator)
    assert (result.rows, result.created) == (3, 2)
    adoption = Adoption.objects.get(site__ods_code="A81001")
    assert adoption.status == "adopted" and adoption.started_on == dt.date(2023, 1, 10)
    assert adoption.population_covered == 9000 and adoption.population_source == "annual report"
    assert AdoptionStatusChange.objects.count() == 3
    assert RecordEntry.objects.count() == before + 1
    assert RecordEntry.objects.order_by("-sequence").first().action == "adoption.records.imported"


@pytest.mark.parametrize(("row", "column"), [
    ("ZZZ99,{inn},adopted,2023-01-01,,,,", "ods_code"),
    ("A81001,nope/nothing,adopted,2023-01-01,,,,", "innovation"),
    ("A81001,{inn},loved,2023-01-01,,,,", "status"),
    ("A81001,{inn},adopted,01/02/2023,,,,", "date"),
    ("A81001,{inn},adopted,2999-01-01,,,,", "date"),
    ("A81001,{inn},adopted,2023-01-01,,10001,,", "population_covered"),
    ("A81001,{inn},discontinued,2023-01-01,,,,", "reason"),
    ("A81001,{inn},adopted,2023-01-01,,,943 476 5919,", "patients_reached"),
])
def test_a_bad_row_is_reported_and_nothing_is_imported(register, innovation, facilitator, row, column):
    good = f"A81002,{_slug(innovation)},adopted,2023-01-01,,,,\n"
    with pytest.raises(ImportRejected) as exc:
        import_adoptions(HEADER + good + row.format(inn=_slug(innovation)) + "\n", actor=facilitator)
    assert (exc.value.errors[0].line, exc.value.errors[0].column) == (3, column)
    assert not Adoption.objects.exists()


def test_an_nhs_number_anywhere_is_refused_with_row_and_column(register, innovation, facilitator):
    with pytest.raises(ImportRejected) as exc:
        import_adoptions(HEADER + f"A81001,{_slug(innovation)},adopted,2023-01-01,,,,9434765919\n",
                         actor=facilitator)
    error = exc.value.errors[0]
    assert (error.line, error.column) == (2, "source") and "NHS number" in error.reason


def test_going_backwards_needs_a_reason_across_imports(register, innovation, facilitator):
    import_adoptions(HEADER + f"A81001,{_slug(innovation)},embedded,2023-01-01,,,,\n", actor=facilitator)
    with pytest.raises(ImportRejected, match="1 problem"):
        import_adoptions(HEADER + f"A81001,{_slug(innovation)},piloting,2023-05-01,,,,\n", actor=facilitator)
    import_adoptions(HEADER + f"A81001,{_slug(innovation)},piloting,2023-05-01,funding paused,,,\n",
                     actor=facilitator)
    assert Adoption.objects.get().status == "piloting"


def test_a_file_in_the_wrong_layout_is_refused(register, facilitator):
    with pytest.raises(ImportRejected) as exc:
        import_adoptions("site,thing\nA81001,x\n", actor=facilitator)
    assert any("Wrong layout" in e.reason for e in exc.value.errors)


def test_nhs_numbers_are_spotted_by_their_check_digit():
    assert is_nhs_number("9434765919") and is_nhs_number("943-476-5919")
    assert not is_nhs_number("9434765918") and not is_nhs_number("1234567890") and not is_nhs_number("A81001")


def _index_names() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
                       "('adoption_adoption', 'adoption_adoptionstatuschange')")
        return {r[0] for r in cursor.fetchall()}


def test_a_file_read_in_chunks_reports_errors_by_their_own_lines(register, innovation, facilitator, monkeypatch):
    from innovatorium.adoption import importers

    monkeypatch.setattr(importers, "CHUNK_ROWS", 2)
    rows = [f"A81001,{_slug(innovation)},piloting,2023-01-10,,,,", f"A81002,{_slug(innovation)},adopted,2023-02-01,,,,",
            f"RTD,{_slug(innovation)},adopted,2023-03-01,,,,", f"ZZZ99,{_slug(innovation)},adopted,2023-03-01,,,,",
            f"QHM,{_slug(innovation)},adopted,2999-03-01,,,,"]
    with pytest.raises(ImportRejected) as exc:
        import_adoptions(HEADER + "\n".join(rows) + "\n", actor=facilitator)
    assert [(e.line, e.column) for e in exc.value.errors] == [(5, "ods_code"), (6, "date")]
    assert not Adoption.objects.exists()
    result = import_adoptions(HEADER + "\n".join(rows[:3] + [rows[0].replace("piloting,2023-01-10",
                                                                               "adopted,2023-04-01")]) + "\n",
                              actor=facilitator)
    assert (result.rows, result.created) == (4, 3)
    assert Adoption.objects.get(site__ods_code="A81001").status == "adopted"


def test_a_big_load_sets_indexes_aside_and_builds_them_again_or_rolls_back(register, innovation, facilitator,
                                                                           monkeypatch):
    from django.db import connection

    from innovatorium.adoption import importers

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL loads with COPY")
    monkeypatch.setattr(importers, "SQLITE_REBUILD_MIN_ROWS", 1)
    before = _index_names()
    assert len(before) >= 4
    rows = (HEADER + f"A81001,{_slug(innovation)},adopted,2023-01-10,,,,\n"
            f"RTD,{_slug(innovation)},adopted,2023-02-01,,,,\n")

    def boom(**_):
        raise RuntimeError("the record is down")

    monkeypatch.setattr(importers, "record_append", boom)
    with pytest.raises(RuntimeError):
        import_adoptions(rows, actor=facilitator)
    assert _index_names() == before and not Adoption.objects.exists()
    monkeypatch.undo()
    monkeypatch.setattr(importers, "SQLITE_REBUILD_MIN_ROWS", 1)
    import_adoptions(rows, actor=facilitator)
    assert _index_names() == before
    changes = AdoptionStatusChange.objects.select_related("adoption").order_by("site__ods_code")
    assert [(c.site.ods_code, c.adoption.site_id == c.site_id, c.changed_on) for c in changes] == [
        ("A81001", True, dt.date(2023, 1, 10)), ("RTD", True, dt.date(2023, 2, 1))]


def _pg_keys_and_indexes() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid IN ('adoption_adoption'::regclass, "
                       "'adoption_adoptionstatuschange'::regclass) UNION SELECT indexrelid::regclass::text FROM "
                       "pg_index WHERE indrelid IN ('adoption_adoption'::regclass, "
                       "'adoption_adoptionstatuschange'::regclass)")
        return {r[0] for r in cursor.fetchall()}


def test_a_big_postgresql_load_sets_keys_aside_and_adds_them_back_or_rolls_back(register, innovation, facilitator,
                                                                                 monkeypatch):
    from django.db import connection

    from innovatorium.adoption import importers

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    monkeypatch.setattr(importers, "PG_SET_ASIDE_MIN_ROWS", 1)
    before = _pg_keys_and_indexes()
    assert len(before) >= 8
    rows = (HEADER + f"A81001,{_slug(innovation)},adopted,2023-01-10,,,,\n"
            f"RTD,{_slug(innovation)},adopted,2023-02-01,,,,\n")

    def boom(**_):
        raise RuntimeError("the record is down")

    monkeypatch.setattr(importers, "record_append", boom)
    with pytest.raises(RuntimeError):
        import_adoptions(rows, actor=facilitator)
    assert _pg_keys_and_indexes() == before and not Adoption.objects.exists()
    monkeypatch.undo()
    monkeypatch.setattr(importers, "PG_SET_ASIDE_MIN_ROWS", 1)
    import_adoptions(rows, actor=facilitator)
    assert _pg_keys_and_indexes() == before
    changes = AdoptionStatusChange.objects.select_related("adoption").order_by("site__ods_code")
    assert [(c.site.ods_code, c.adoption.site_id == c.site_id, c.changed_on) for c in changes] == [
        ("A81001", True, dt.date(2023, 1, 10)), ("RTD", True, dt.date(2023, 2, 1))]


def test_a_stray_carriage_return_is_refused_with_its_line_not_an_error_page(register, innovation, facilitator):
    bad = HEADER + f"A81001,{_slug(innovation)},adopted,2023-01-01,,,,a\rb\n"
    for call in (lambda: import_adoptions(bad, actor=facilitator),
                 lambda: import_adoptions(bad.encode(), actor=facilitator),
                 lambda: import_populations("ods_code,population,imd_decile\nA81001,5\r,1\n", actor=facilitator),
                 lambda: import_ods_sites("A81001,Name\r,Y63\n", layout="gp_practices", actor=facilitator)):
        with pytest.raises(ImportRejected, match="problem"):  # a row error, or "not a well-formed CSV file here"
            call()
    assert not Adoption.objects.exists() and Site.objects.get(ods_code="A81001").population == 10000
