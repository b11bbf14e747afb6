"""The public record's pages: the national list, a network's list filtered by action, and the check."""

from __future__ import annotations

from innovatorium.factories import NetworkFactory
from innovatorium.record.services import record_append


def _html(response) -> str:  # noqa: ANN001
    assert response.status_code == 200
    return response.content.decode()


def test_a_networks_record_lists_only_its_own_entries_newest_first(client, network, other_network, patient):
    record_append(action="people.membership.joined", actor=patient, network=network, payload={"n": "first"})
    record_append(action="people.membership.joined", actor=None, network=other_network, payload={"n": "elsewhere"})
    record_append(action="people.membership.verified", actor=None, network=network, payload={"n": "second"})

    html = _html(client.get(f"/{network.slug}/record/"))

    assert "n: elsewhere" not in html
    assert html.index("n: second") < html.index("n: first")
    assert "Entries 1 to 2 of 2" in html


def test_a_networks_record_can_be_filtered_by_action(client, network):
    record_append(action="people.membership.joined", actor=None, network=network, payload={"n": "joined"})
    record_append(action="people.membership.verified", actor=None, network=network, payload={"n": "verified"})

    html = _html(client.get(f"/{network.slug}/record/", {"action": "people.membership.verified"}))

    assert "n: verified" in html
    assert "n: joined" not in html
    # The filter menu offers every action the network has, with the chosen one selected.
    assert '<option value="people.membership.verified" selected>' in html
    assert '<option value="people.membership.joined">' in html


def test_an_action_prefix_ending_in_a_dot_filters_a_whole_family(client, network):
    record_append(action="people.membership.joined", actor=None, network=network, payload={"n": "people"})
    record_append(action="networks.constituency.changed", actor=None, network=network, payload={"n": "networks"})

    html = _html(client.get(f"/{network.slug}/record/", {"action": "people."}))

    assert "n: people" in html
    assert "n: networks" not in html


def test_a_filter_that_matches_nothing_says_so(client, network):
    record_append(action="people.membership.joined", actor=None, network=network)

    html = _html(client.get(f"/{network.slug}/record/", {"action": "nothing.like.this"}))

    assert "There are no entries of the kind “nothing.like.this” yet." in html


def test_an_empty_record_says_plainly_that_nothing_is_recorded_yet(client, network):
    assert f"Nothing has been recorded for {network.name} yet." in _html(client.get(f"/{network.slug}/record/"))
    assert "Nothing has been recorded yet." in _html(client.get("/record/"))


def test_the_national_record_lists_every_network_and_national_entries(client, network, other_network):
    record_append(action="people.membership.joined", actor=None, network=network)
    record_append(action="people.membership.joined", actor=None, network=other_network)
    record_append(action="people.person.erased", actor=None)

    html = _html(client.get("/record/"))

    assert network.name in html
    assert other_network.name in html
    assert "National" in html
    assert "Entries 1 to 3 of 3" in html


def test_the_record_names_actors_only_with_their_consent(client, network, patient, facilitator):
    patient.show_name_publicly = False
    patient.save()
    facilitator.show_name_publicly = True
    facilitator.save()
    record_append(action="test.by.patient", actor=patient, network=network)
    record_append(action="test.by.facilitator", actor=facilitator, network=network)

    html = _html(client.get(f"/{network.slug}/record/"))

    assert patient.pseudonym in html
    assert patient.display_name not in html
    assert facilitator.display_name in html


def test_the_record_pages_through_long_lists(client, network):
    for n in range(55):
        record_append(action="test.thing.done", actor=None, network=network, payload={"n": n})

    first = _html(client.get(f"/{network.slug}/record/", {"action": "test.thing.done"}))
    second = _html(client.get(f"/{network.slug}/record/", {"action": "test.thing.done", "page": 2}))

    assert "Entries 1 to 50 of 55" in first
    assert "?action=test.thing.done&amp;page=2" in first
    assert "Entries 51 to 55 of 55" in second


def test_an_unknown_network_has_no_record_page(client, db):
    assert client.get("/no-such-network/record/").status_code == 404


def test_the_record_pages_use_a_fixed_number_of_queries(client, network, patient, django_assert_max_num_queries):
    for n in range(30):
        other = NetworkFactory() if n % 10 == 0 else network
        record_append(action=f"test.kind.{n % 4}", actor=patient, network=other, payload={"n": n})

    with django_assert_max_num_queries(6):
        _html(client.get("/record/"))
    with django_assert_max_num_queries(7):
        _html(client.get(f"/{network.slug}/record/"))


def test_the_verify_page_is_public_and_links_to_the_machine_readable_check(client, network):
    record_append(action="test.thing.done", actor=None, network=network)

    html = _html(client.get("/record/verify/"))

    assert "The record is intact" in html
    assert 'href="/api/record/verify"' in html
