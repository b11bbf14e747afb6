from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from innovatorium.atlas import services


@pytest.fixture
def collection(network, facilitator, published):
    collection = services.collection_create(actor=facilitator, network=network, title="Our showcase",
                                            introduction="The best of Test Region.")
    services.collection_add(collection=collection, actor=facilitator, innovation=published,
                            note="Loved by young people.")
    return collection


def test_a_collection_page_lists_its_innovations_in_order_with_its_introduction(client, collection, published):
    page = client.get(reverse("atlas:collection", args=[collection.slug])).content.decode()
    assert "The best of Test Region." in page
    assert "1. <a href=\"" + published.get_absolute_url() in page
    assert "Loved by young people." in page
    assert "Our showcase" in client.get(reverse("atlas:collections")).content.decode()


def test_a_collection_has_an_atom_feed(client, collection, published):
    response = client.get(reverse("atlas:collection_feed", args=[collection.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert published.get_absolute_url() in response.content.decode()


def test_drafts_cannot_go_in_a_collection(collection, facilitator, draft):
    with pytest.raises(ValidationError):
        services.collection_add(collection=collection, actor=facilitator, innovation=draft)


def test_only_the_networks_facilitators_make_its_collections(network, patient, other_admin):
    for person in (patient, other_admin):
        with pytest.raises(PermissionDenied):
            services.collection_create(actor=person, network=network, title="Mine")


def test_an_innovation_goes_in_a_collection_once(collection, facilitator, published):
    with pytest.raises(ValidationError):
        services.collection_add(collection=collection, actor=facilitator, innovation=published)
