from __future__ import annotations

import random

from innovatorium.atlas.demo import create_demo_atlas
from innovatorium.atlas.models import CaseStudy, Collection, Innovation, PublicationStatus
from innovatorium.record.selectors import record_verify


def test_the_demo_atlas_is_published_through_the_services_and_reads_like_the_real_thing(network, other_network):
    made = create_demo_atlas(random.Random(7), count=20)
    assert made.innovations == 20
    assert Innovation.objects.filter(status=PublicationStatus.PUBLISHED).count() == 20
    names = set(Innovation.objects.values_list("name", flat=True))
    assert "ChatHealth: text your school nurse" in names
    assert "Florence: telehealth by text message" in names
    assert "This is me: a carer-held record for people with dementia" in names
    assert "Pulse check: community atrial fibrillation detection" in names
    assert "Diabetes self-management education for everyone" in names
    assert CaseStudy.objects.filter(status=PublicationStatus.PUBLISHED).count() == made.case_studies >= 2
    assert Collection.objects.count() == 2
    assert made.evidence > 0 and made.co_producers > 0
    assert record_verify().ok


def test_two_demo_loads_with_the_same_seed_hold_the_same_innovations(django_db_blocker, network):
    create_demo_atlas(random.Random(3), count=8)
    first = sorted(Innovation.objects.values_list("name", "stage"))
    Innovation.objects.all().delete()
    CaseStudy.objects.all().delete()
    Collection.objects.all().delete()
    create_demo_atlas(random.Random(3), count=8)
    assert sorted(Innovation.objects.values_list("name", "stage")) == first
