# ruff: noqa: E501 - ODS rows are kept exactly as published, one to a line
"""Adoption fixtures: a small register (ICB → trust, ICB → two practices) and a published innovation."""

from __future__ import annotations

import pytest

from innovatorium.adoption.importers import import_ods_sites, import_populations
from innovatorium.atlas import services as atlas_services

ICBS = "QHM,NHS North East And North Cumbria ICB,Y63,QHM,Pemberton House,,,,,NE1 3DE,20220701,,,,,,,,,,,,,,,,\n"
TRUSTS = "RTD,The Newcastle upon Tyne Hospitals NHS Foundation Trust,Y63,QHM,Freeman Hospital,,,,,NE7 7DN,20010401,,,,,,,0191 233 6161,,,,,,,,,\n"
PRACTICES = (
    "A81001,The Densham Surgery,Y63,QHM,The Health Centre,,,,,TS18 1HU,19740401,,A,4,00K,20130401,,01642 672351,,,,,,,,4,\n"
    "A81002,Queens Park Medical Centre,Y63,QHM,Farrer Street,,,,,TS18 2AW,19740401,,A,4,00K,20130401,,01642 612345,,,,,,,,4,\n"
)
POPULATIONS = "ods_code,population,imd_decile\nQHM,3000000,\nRTD,500000,5\nA81001,10000,1\nA81002,20000,9\n"


@pytest.fixture
def register(network, facilitator):
    import_ods_sites(ICBS, layout="icbs", actor=facilitator, network=network)
    import_ods_sites(TRUSTS, layout="trusts", actor=facilitator)
    import_ods_sites(PRACTICES, layout="gp_practices", actor=facilitator)
    import_populations(POPULATIONS, actor=facilitator)


@pytest.fixture
def innovation(network, facilitator):
    innovation = atlas_services.innovation_create(
        network=network, actor=facilitator, name="Virtual ward kit", summary="Monitoring at home.",
        innovation_type="digital",
    )
    atlas_services.innovation_publish(innovation=innovation, actor=facilitator)
    return innovation
