import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_search_page_finds_and_filters_without_javascript(client, network, publish_innovation):
    publish_innovation(network, "Carer-held record", "For people with <b>dementia</b>.", care_settings=["home"])
    publish_innovation(network, "AF detection", "Community atrial fibrillation.", care_settings=["community"])
    response = client.get(reverse("search:search"), {"q": "dementia", "care_setting": "home"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Carer-held record" in content and "AF detection" not in content
    assert "<mark>dementia</mark>" in content and "<b>" not in content  # escaped (SQLite) or dropped (PostgreSQL)
    assert 'value="home" checked' in content


def test_the_search_page_costs_at_most_ten_queries_whatever_the_result_count(
    client, network, publish_innovation, django_assert_max_num_queries
):
    for n in range(30):
        publish_innovation(network, f"Frailty tool {n}", "Frailty.", care_settings=["home", "community"],
                           clinical_areas=["frailty"], evidence=["rct", "observational"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("search:search"), {"q": "frailty", "care_setting": "home", "page": "2"})
    assert response.status_code == 200
    assert "30 results" in response.content.decode()


def test_htmx_requests_get_only_the_results(client, network, publish_innovation):
    publish_innovation(network, "Asthma app", "Inhaler reminders.")
    response = client.get(reverse("search:search"), {"q": "asth"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Asthma app" in content  # the last word is a prefix as you type
    assert "<html" not in content and 'id="search-results"' in content


def test_odd_parameters_fall_back_to_sensible_defaults(client, network, publish_innovation):
    response = client.get(reverse("search:search"), {"kind": "people", "page": "banana", "q": "x" * 5000})
    assert response.status_code == 200


def test_type_ahead_returns_options_for_a_datalist(client, network, publish_innovation):
    publish_innovation(network, "School nurse texting <service>", "ChatHealth.")
    response = client.get(reverse("search:suggest"), {"q": "scho"})
    assert response.content.decode().strip() == '<option value="School nurse texting &lt;service&gt;"></option>'


def test_reindex_rebuilds_the_index_from_the_published_records(network, publish_innovation):
    from django.core.management import call_command

    from innovatorium.search.models import SearchDocument
    from innovatorium.search.selectors import search

    publish_innovation(network, "Kept", "Published.")
    publish_innovation(network, "Draft", "Not published.", publish=False)
    SearchDocument.objects.all().delete()
    call_command("search_reindex", verbosity=0)
    assert [hit.title for hit in search(kind="innovation").hits] == ["Kept"]
