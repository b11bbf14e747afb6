"""The pure parts: group weights, weighted views, agreement, and the CSV reader (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatorium.impact import csvimport, weighing

TODAY = dt.date(2026, 11, 26)


def test_a_groups_weight_is_the_median_so_one_vote_cannot_pull_it_far():
    assert weighing.group_weight([7, 8, 8, 0]) == 7.5
    assert weighing.group_weight([7, 8, 8, 8, 0]) == 8
    assert weighing.group_mean([7, 8, 8, 8, 0]) == pytest.approx(6.2)
    assert weighing.group_weight([]) is None


def test_the_weighted_view_weighs_each_signal_by_the_groups_weight():
    signals = {1: 1, 2: -1, 3: 0}
    assert weighing.weighted_view(signals, {1: 9, 2: 1, 3: None}) == pytest.approx(0.8)
    assert weighing.weighted_view(signals, {1: 1, 2: 9}) == pytest.approx(-0.8)
    assert weighing.weighted_view(signals, {1: 0, 2: None}) is None
    assert weighing.view_words(0.8).startswith("sees clear improvement")
    assert weighing.view_words(-0.3).startswith("sees some cause for concern")
    assert weighing.view_words(0).startswith("sees no clear change")
    assert weighing.view_words(None) == "has not weighted these measures yet"


@given(st.dictionaries(st.integers(0, 20), st.sampled_from([-1, 0, 1]), min_size=1),
       st.lists(st.integers(0, 10), min_size=21, max_size=21))
def test_a_weighted_view_stays_between_minus_one_and_one(signals, ws):
    view = weighing.weighted_view(signals, {m: ws[m] for m in signals})
    assert view is None or -1 <= view <= 1


def test_agree_some_differ_and_unweighted():
    out = {c.measure: c for c in weighing.compare({
        1: {"patients": 9, "nhs": 8, "industry": None},
        2: {"patients": 9, "nhs": 2},
        3: {"patients": 6, "nhs": 3},
        4: {"patients": 5, "nhs": None},
    })}
    assert out[1].kind == "agree" and out[1].spread == 1
    assert (out[2].kind, out[2].high_group, out[2].low_group) == ("differ", "patients", "nhs")
    assert out[3].kind == "some"
    assert out[4].kind == "unweighted"


def test_signals_from_the_variation_icon():
    assert [weighing.signal_of(v) for v in ("improvement_low", "concern_high", "neither_high", "common_cause",
                                             None)] == [1, -1, 0, 0, 0]


@pytest.mark.parametrize(("text", "month"), [("2025-04", dt.date(2025, 4, 1)), ("2025-4-01", dt.date(2025, 4, 1)),
                                             ("04/2025", dt.date(2025, 4, 1))])
def test_months_in_the_forms_people_write_them(text, month):
    assert csvimport.parse_period(text) == month


@pytest.mark.parametrize("text", ["2025-04-15", "2025-13", "April", "1850-01", ""])
def test_what_is_not_a_month(text):
    with pytest.raises(ValueError):
        csvimport.parse_period(text)


def test_values_must_be_plain_numbers():
    assert csvimport.parse_value(" 12.25 ") == Decimal("12.25")
    for bad in ("12%", "1,200", "nan", "1e12", "0.123456", ""):
        with pytest.raises(ValueError):
            csvimport.parse_value(bad)


def test_the_reader_lists_every_problem_and_returns_no_rows():
    text = "period,value,note\n2025-01,1,\n2025-01,2,\n2027-01,3,\n2025-03,,\n2025-04,1\n\n"
    rows, problems = csvimport.read_observations(text, today=TODAY)
    assert rows == []
    assert [(p.line, p.column) for p in problems] == [(3, "period"), (4, "period"), (5, "value"), (6, "")]
    assert "already on line 2" in problems[0].message and "has not started yet" in problems[1].message


def test_the_reader_takes_a_byte_order_mark_and_a_note():
    rows, problems = csvimport.read_observations("\ufeffPeriod,Value,Note\n2025-01,1.5,ward closed\n", today=TODAY)
    assert problems == [] and rows[0].note == "ward closed" and rows[0].value == Decimal("1.5")


def test_an_empty_file_and_a_header_only_file():
    assert csvimport.read_observations("", today=TODAY)[1][0].message.startswith("the file is empty")
    assert csvimport.read_observations("period,value\n", today=TODAY)[1][0].message.endswith("no rows")
