from __future__ import annotations

import random

import numpy as np
import pytest
from django.utils import timezone

from innovatorium.adoption import selectors
from innovatorium.adoption.demo import create_demo_adoption
from innovatorium.adoption.models import Adoption, AdoptionStatusChange, Site, SiteType, Status
from innovatorium.atlas import services as atlas_services
from innovatorium.networks.models import Network
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify


@pytest.fixture
def published(facilitator, network):
    made = []
    for i in range(6):
        innovation = atlas_services.innovation_create(
            network=network, actor=facilitator, name=f"Innovation {i}", summary="Helps.", innovation_type="digital",
        )
        atlas_services.innovation_publish(innovation=innovation, actor=facilitator)
        made.append(innovation)
    return made


def test_the_demo_makes_a_register_of_sites_in_every_network_with_parents_and_populations(published):
    result = create_demo_adoption(random.Random(1), 400, sites=450)

    assert Site.objects.count() == result.sites
    assert 350 <= result.sites <= 550
    assert Site.objects.values("network").distinct().count() == Network.objects.filter(sites__isnull=False)\
        .distinct().count() >= 15
    practices = Site.objects.filter(type=SiteType.GP_PRACTICE)
    assert not practices.filter(parent__isnull=True).exists()
    assert not practices.filter(imd_decile__isnull=True).exists()
    assert not Site.objects.filter(type=SiteType.ICB, parent__isnull=False).exists()
    for site in Site.objects.exclude(type=SiteType.GP_PRACTICE)[:5]:
        site.full_clean()  # ODS codes in valid shapes


def test_the_demo_spreads_innovations_in_an_s_shape_with_histories_and_one_record_entry(published):
    before = RecordEntry.objects.count()
    result = create_demo_adoption(random.Random(2), 600, sites=600)

    assert Adoption.objects.count() == result.adoptions > 200
    assert AdoptionStatusChange.objects.count() == result.changes > result.adoptions
    from innovatorium.adoption.models import NationalProgramme

    # one entry for the records, one for each national programme started
    assert RecordEntry.objects.count() == before + 1 + NationalProgramme.objects.count()
    assert record_verify().ok
    today = timezone.localdate()
    assert not Adoption.objects.filter(status_on__gt=today).exists()
    assert not Adoption.objects.filter(status=Status.DISCONTINUED, reason="").exists()
    # the biggest innovation's adoptions come slowly, then quickly, then slowly: the middle third of its timeline
    # holds more adoptions than the first third
    biggest = max(published, key=lambda i: i.adoptions.count())
    days = np.sort(np.array([c.changed_on.toordinal() for c in AdoptionStatusChange.objects.filter(
        innovation=biggest, status=Status.ADOPTED)]))
    assert len(days) > 20
    span = np.linspace(days[0], days[-1], 4)
    first, middle = ((days >= span[0]) & (days < span[1])).sum(), ((days >= span[1]) & (days < span[2])).sum()
    assert middle > first
    figures = selectors.headline(selectors.adopting_rows(), selectors.site_arrays())
    assert figures.innovations >= 1 and figures.population > 0
    equity = selectors.equity_table(selectors.adopting_rows(), selectors.site_arrays())
    assert equity.has_data


def test_the_demo_starts_national_programmes_part_way_to_their_targets(published):
    from innovatorium.adoption.models import NationalProgramme

    create_demo_adoption(random.Random(3), 400, sites=450)
    programmes = list(NationalProgramme.objects.all())
    assert 1 <= len(programmes) <= 3
    for programme in programmes:
        progress = selectors.programme_progress(programme, as_of=timezone.localdate())
        assert progress.targets > 0 and 0 < (progress.share or 0) < 1
