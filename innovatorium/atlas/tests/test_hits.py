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


def test_the_objects_show_what_a_card_needs_and_load_anything_else_when_asked(
    published, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        found = selectors.objects_for_hits(kind="innovation", hits=[SimpleNamespace(object_id=published.pk)])
        innovation = found[published.pk]
        shown = (innovation.name, innovation.summary, innovation.get_stage_display(),
                 innovation.get_innovation_type_display(), innovation.network.name, innovation.get_absolute_url())
    assert shown == (published.name, published.summary, published.get_stage_display(),
                     published.get_innovation_type_display(), published.network.name, published.get_absolute_url())
    assert innovation.network_id == published.network_id
    assert innovation.problem == published.problem  # deferred: read from the database when asked for


def test_case_studies_come_with_their_networks_and_unknown_ids_are_left_out(network, facilitator):
    from innovatorium.atlas import services

    story = services.case_study_create(network=network, actor=facilitator, title="Texting in schools",
                                       what_was_done="Nurses answered texts.")
    hidden = services.case_study_create(network=network, actor=facilitator, title="Not yet", what_was_done="-")
    services.case_study_publish(case_study=story, actor=facilitator)
    hits = [SimpleNamespace(object_id=i) for i in (hidden.pk, 987_654, story.pk)]
    found = selectors.objects_for_hits(kind="case_study", hits=hits)
    assert list(found) == [story.pk]
    assert found[story.pk].title == "Texting in schools" and found[story.pk].network.slug == network.slug
    assert found[story.pk].get_absolute_url() == story.get_absolute_url()
    assert selectors.objects_for_hits(kind="case_study", hits=[]) == {}
