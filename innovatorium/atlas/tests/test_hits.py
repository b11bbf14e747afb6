"""The objects behind a page of search hits: by primary key in one query, published ones only."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from innovatorium.atlas import selectors

pytestmark = pytest.mark.django_db


def test_a_page_of_hits_gives_the_published_innovations_only_in_one_query(
    published, draft, django_assert_max_num_queries
):
    hits = [SimpleNamespace(object_id=published.pk), SimpleNamespace(object_id=draft.pk)]
    with django_assert_max_num_queries(1):
        found = selectors.objects_for_hits(kind="innovation", hits=hits)
        names = {pk: (i.name, i.network.name) for pk, i in found.items()}
    assert list(names) == [published.pk]
