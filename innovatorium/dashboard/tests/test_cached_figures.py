"""The dashboard's figures are cached (they read every adoption and membership), yet every change shows at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from innovatorium.adoption.importers import import_adoptions
from innovatorium.dashboard import selectors, services

pytestmark = pytest.mark.django_db


def test_a_second_view_reads_the_figures_from_the_cache(client, network, django_assert_max_num_queries):
    client.get(reverse("dashboard:national"))
    with django_assert_max_num_queries(0):
        selectors.dashboard()


def test_a_reported_figure_shows_at_once_though_the_figures_are_cached(network, facilitator, last_year):
    assert selectors.dashboard().england.figures["investment"].value == Decimal(0)
    services.reported_figure_add(network=network, actor=facilitator, kind="investment", amount="1234.50",
                                 period_start=last_year[0], period_end=last_year[1], source="Annual report")
    assert selectors.dashboard().england.figures["investment"].value == Decimal("1234.50")


def test_an_adoption_import_written_in_bulk_shows_at_once(network, facilitator, innovation, register):
    before = selectors.dashboard().england.figures
    rows = (f"ods_code,innovation,status,date,patients_reached\n"
            f"RTD,{network.slug}/{innovation.slug},adopted,2025-01-15,120\n")
    import_adoptions(rows, actor=facilitator, network=network)
    after = selectors.dashboard().england.figures
    assert before != after


def test_a_withdrawn_figure_leaves_the_cached_totals_at_once(network, facilitator, last_year):
    figure = services.reported_figure_add(network=network, actor=facilitator, kind="jobs", amount="2.5",
                                          period_start=last_year[0], period_end=last_year[1], source="Survey")
    assert selectors.dashboard().england.figures["jobs"].value == Decimal("2.5")
    services.reported_figure_withdraw(figure=figure, actor=facilitator, reason="Counted twice")
    assert selectors.dashboard().england.figures["jobs"].value == Decimal(0)
