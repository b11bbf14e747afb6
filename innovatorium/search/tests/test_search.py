import re

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovatorium.atlas.models import CaseStudy, PublicationStatus, TaxonomyTerm
from innovatorium.atlas.services import innovation_set_stage
from innovatorium.challenges.models import Challenge
from innovatorium.search.models import SearchDocument, SearchIndexVersion
from innovatorium.search.selectors import search, suggest
from innovatorium.search.services import index_case_study, index_challenge, index_innovation, remove_document

pytestmark = pytest.mark.django_db


def titles(results):
    return [hit.title for hit in results.hits]


def test_a_published_innovation_is_found_by_a_word_in_its_summary(network, publish_innovation):
    publish_innovation(network, "ChatHealth", "Text messaging for young people to reach their school nurse.")
    results = search(kind="innovation", query="nurse")
    assert titles(results) == ["ChatHealth"]
    assert results.total == 1


def test_a_draft_is_never_searchable(network, publish_innovation):
    publish_innovation(network, "Secret draft", "Not yet reviewed.", publish=False)
    assert search(kind="innovation", query="draft").total == 0
    assert not SearchDocument.objects.exists()


def test_unpublishing_removes_the_innovation_from_the_index(network, publish_innovation):
    innovation = publish_innovation(network, "Florence", "Telehealth by text message.")
    innovation.status = PublicationStatus.DRAFT
    index_innovation(innovation=innovation)
    assert search(kind="innovation", query="telehealth").total == 0


def test_stemming_finds_other_forms_of_a_word(network, publish_innovation):
    publish_innovation(network, "Runner", "Supports people managing diabetes.")
    assert titles(search(kind="innovation", query="manage")) == ["Runner"]


def test_a_match_in_the_title_ranks_above_a_match_in_the_body(network, publish_innovation):
    publish_innovation(network, "Heart monitor app", "Keeps an eye on things for dementia carers.")
    publish_innovation(network, "Dementia carer record", "A record held by carers.")
    results = search(kind="innovation", query="dementia")
    assert titles(results) == ["Dementia carer record", "Heart monitor app"]
    assert results.hits[0].rank > results.hits[1].rank


def test_phrases_need_the_words_together(network, publish_innovation):
    publish_innovation(network, "Together", "Text messaging for clinics.")
    publish_innovation(network, "Apart", "Messaging by text for clinics.")
    assert titles(search(kind="innovation", query='"text messaging"')) == ["Together"]


def test_snippets_mark_the_matches_and_escape_html(network, publish_innovation):
    publish_innovation(network, "Safe", "<script>alert(1)</script> detects atrial fibrillation in the community.")
    snippet = search(kind="innovation", query="atrial").hits[0].snippet
    assert "<mark>atrial</mark>" in snippet
    # The only tags are our marks (PostgreSQL's headline drops tags; SQLite's snippet keeps them, escaped).
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    assert "<script>" not in snippet


def test_an_empty_query_browses_newest_first(network, publish_innovation):
    publish_innovation(network, "Older")
    publish_innovation(network, "Newer")
    results = search(kind="innovation")
    assert titles(results) == ["Newer", "Older"]
    assert results.total == 2


def test_facets_count_matches_and_filters_narrow_the_results(network, publish_innovation):
    publish_innovation(network, "A", "Diabetes app", care_settings=["primary-care"], evidence=["rct"])
    publish_innovation(network, "B", "Diabetes pathway", innovation_type="pathway", care_settings=["community"])
    publish_innovation(network, "C", "Asthma app", care_settings=["primary-care"])
    results = search(kind="innovation", query="diabetes")
    counts = {f.value: f.count for f in results.facets["care_setting"]}
    assert counts == {"primary-care": 1, "community": 1}
    assert {f.value: f.count for f in results.facets["evidence_type"]} == {"rct": 1}
    labels = {f.value: f.label for f in results.facets["innovation_type"]}
    assert labels == {"digital": "Digital", "pathway": "Pathway or service redesign"}

    filtered = search(kind="innovation", query="diabetes", filters={"care_setting": ["community"]})
    assert titles(filtered) == ["B"]
    # The chosen field still counts every value, so a second choice can be added.
    assert {f.value: (f.count, f.selected) for f in filtered.facets["care_setting"]} == {
        "primary-care": (1, False), "community": (1, True)}
    assert {f.value: f.count for f in filtered.facets["innovation_type"]} == {"pathway": 1}


def test_values_within_a_field_are_ored_and_fields_are_anded(network, publish_innovation):
    publish_innovation(network, "A", care_settings=["primary-care"], stage="pilot")
    publish_innovation(network, "B", care_settings=["community"], stage="idea")
    publish_innovation(network, "C", care_settings=["acute"], stage="pilot")
    both = search(kind="innovation", filters={"care_setting": ["primary-care", "community"]})
    assert sorted(titles(both)) == ["A", "B"]
    narrowed = search(kind="innovation", filters={"care_setting": ["primary-care", "community"], "stage": ["pilot"]})
    assert titles(narrowed) == ["A"]


def test_stages_are_listed_in_their_natural_order(network, publish_innovation):
    publish_innovation(network, "A", stage="spread")
    publish_innovation(network, "B", stage="idea")
    publish_innovation(network, "C", stage="spread")
    assert [f.value for f in search(kind="innovation").facets["stage"]] == ["idea", "spread"]


def test_unknown_filter_fields_and_values_are_harmless(network, publish_innovation):
    publish_innovation(network, "A")
    results = search(kind="innovation", filters={"nonsense": ["x"], "stage": ["no-such-stage"]})
    assert results.total == 0
    assert [(f.value, f.count, f.selected) for f in results.facets["stage"]] == [("idea", 1, False),
                                                                                  ("no-such-stage", 0, True)]


def test_a_network_slug_limits_the_search_to_that_network(network, other_network, publish_innovation):
    publish_innovation(network, "Here", "Frailty service")
    publish_innovation(other_network, "There", "Frailty service")
    assert titles(search(kind="innovation", query="frailty", network_slug="other-region")) == ["There"]


def test_pages_split_the_results(network, publish_innovation):
    for n in range(5):
        publish_innovation(network, f"Stroke {n}", "Stroke care")
    second = search(kind="innovation", query="stroke", page=2, per_page=2)
    assert second.total == 5 and len(second.hits) == 2 and second.pages == 3 and second.has_next
    assert len(search(kind="innovation", query="stroke", page=3, per_page=2).hits) == 1


def test_a_search_costs_four_queries_whatever_the_number_of_results(
    network, publish_innovation, django_assert_max_num_queries
):
    for n in range(25):
        publish_innovation(network, f"Kidney {n}", "Kidney care", care_settings=["acute", "home"], evidence=["rct"])
    with django_assert_max_num_queries(4):  # the token, the matches, the facet index (rebuilt after the writes), hits
        results = search(kind="innovation", query="kidney", filters={"care_setting": ["acute"], "stage": ["idea"]})
    assert results.total == 25 and len(results.hits) == 20


def test_index_updates_roll_back_with_the_write(network, publish_innovation):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_innovation(network, "Rolled back", "Sepsis screening")
        assert search(kind="innovation", query="sepsis").total == 1
        raise RuntimeError
    assert search(kind="innovation", query="sepsis").total == 0


def test_a_stage_change_is_reflected_in_the_facets(network, publish_innovation):
    innovation = publish_innovation(network, "Moving", stage="idea")
    innovation_set_stage(innovation=innovation, actor=None, stage="adoption")
    assert search(kind="innovation", filters={"stage": ["adoption"]}).total == 1


def test_challenges_and_case_studies_are_searched_separately(network):
    area = TaxonomyTerm.objects.get(vocabulary="clinical_area", slug="dementia")
    challenge = Challenge.objects.create(
        network=network, slug="lost", title="Carers lose track of appointments", description="Dementia care.",
        clinical_area=area,
    )
    index_challenge(challenge=challenge)
    case_study = CaseStudy.objects.create(
        network=network, slug="cs", title="Dementia record in Leeds", what_was_done="Rolled out a record.",
        status=PublicationStatus.PUBLISHED, published_at=timezone.now(),
    )
    index_case_study(case_study=case_study)
    found = search(kind="challenge", query="dementia")
    assert titles(found) == ["Carers lose track of appointments"]
    assert [(f.value, f.count) for f in found.facets["clinical_area"]] == [("dementia", 1)]
    assert [(f.value, f.count) for f in found.facets["status"]] == [("open", 1)]
    assert titles(search(kind="case_study", query="dementia")) == ["Dementia record in Leeds"]
    assert search(kind="innovation", query="dementia").total == 0
    remove_document(kind="challenge", object_id=challenge.pk)
    assert search(kind="challenge", query="dementia").total == 0


def test_an_unpublished_case_study_is_not_indexed(network):
    case_study = CaseStudy.objects.create(network=network, slug="cs", title="Draft", what_was_done="x")
    index_case_study(case_study=case_study)
    assert search(kind="case_study").total == 0


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown kind"):
        search(kind="person")


def test_type_ahead_suggests_titles_from_three_characters(network, publish_innovation):
    publish_innovation(network, "Diabetes self-management education", "Courses.")
    publish_innovation(network, "Dementia carer record", "Mentions diabetes in the body only.")
    assert suggest(kind="innovation", prefix="di") == []
    assert suggest(kind="innovation", prefix="dia") == ["Diabetes self-management education"]
    assert suggest(kind="innovation", prefix="diabetes self") == ["Diabetes self-management education"]
    assert suggest(kind="innovation", prefix="carer rec") == ["Dementia carer record"]


def test_type_ahead_matches_the_start_of_a_word_not_its_middle(network, publish_innovation):
    publish_innovation(network, "Precision dosing", "Doses.")
    publish_innovation(network, "Falls recovery service", "Falls.")
    assert suggest(kind="innovation", prefix="rec") == ["Falls recovery service"]


def test_type_ahead_needs_every_word_typed(network, publish_innovation):
    publish_innovation(network, "Carer support line", "Calls.")
    publish_innovation(network, "Records for carers", "Records.")
    assert suggest(kind="innovation", prefix="carer rec") == ["Records for carers"]
    assert suggest(kind="challenge", prefix="carer rec") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ordering by the title's start is PostgreSQL's")
def test_type_ahead_lists_titles_starting_with_the_text_first_on_postgresql(network, publish_innovation):
    publish_innovation(network, "Virtual ward for frailty", "Wards.")
    publish_innovation(network, "Frailty virtual ward with remote monitoring", "Wards.")
    assert suggest(kind="innovation", prefix="frail") == [
        "Frailty virtual ward with remote monitoring", "Virtual ward for frailty",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram typo fallback is PostgreSQL's")
def test_a_typo_finds_the_closest_titles_on_postgresql(network, publish_innovation):
    publish_innovation(network, "Diabetes education", "Courses.")
    results = search(kind="innovation", query="diabetis")
    assert results.fuzzy and titles(results) == ["Diabetes education"]



@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram typo fallback is PostgreSQL's")
def test_a_typo_with_filters_finds_only_near_titles_the_filters_allow(network, other_network, publish_innovation):
    publish_innovation(network, "Diabetes education", "Courses.", care_settings=["community"])
    publish_innovation(network, "Diabetes eye screening", "Cameras.", care_settings=["acute"])
    publish_innovation(other_network, "Diabetes foot care", "Clinics.", care_settings=["community"])
    results = search(kind="innovation", query="diabetis", filters={"care_setting": ["community"]})
    assert results.fuzzy and sorted(titles(results)) == ["Diabetes education", "Diabetes foot care"]
    assert {(f.value, f.count) for f in results.facets["care_setting"]} == {("community", 2)}  # of those shown
    on_network = search(kind="innovation", query="diabetis", network_slug=network.slug,
                        filters={"care_setting": ["community"]})
    assert titles(on_network) == ["Diabetes education"] and on_network.total == 1
    assert search(kind="innovation", query="diabetis", filters={"care_setting": ["home"]}).total == 0

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=120), prefix_last=st.booleans())
def test_no_input_ever_makes_the_database_raise(network, publish_innovation, text, prefix_last):
    if not SearchDocument.objects.exists():
        publish_innovation(network, "Anything", "Some words to match against.")
    search(kind="innovation", query=text, prefix_last=prefix_last)
    suggest(kind="innovation", prefix=text)


def test_facet_counts_follow_a_write_made_after_the_previous_search(network, publish_innovation):
    publish_innovation(network, "A", "Frailty service", stage="idea")
    assert [(f.value, f.count) for f in search(kind="innovation", query="frailty").facets["stage"]] == [("idea", 1)]
    publish_innovation(network, "B", "Frailty pathway", stage="pilot")
    found = search(kind="innovation", query="frailty")
    assert [(f.value, f.count) for f in found.facets["stage"]] == [("idea", 1), ("pilot", 1)]
    assert found.total == 2


def test_every_write_to_the_index_changes_the_version_token(network, publish_innovation):
    def token():
        return SearchIndexVersion.objects.get(pk=1).token

    before = token()
    innovation = publish_innovation(network, "Tokened", "Sepsis")
    after_insert = token()
    innovation_set_stage(innovation=innovation, actor=None, stage="adoption")
    after_update = token()
    remove_document(kind="innovation", object_id=innovation.pk)
    assert len({before, after_insert, after_update, token()}) == 4


def test_counts_seen_inside_a_rolled_back_write_never_outlive_it(network, publish_innovation):
    publish_innovation(network, "Kept", "Stroke care", stage="idea")
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_innovation(network, "Gone", "Stroke care", stage="spread")
        assert search(kind="innovation", query="stroke").total == 2
        raise RuntimeError
    found = search(kind="innovation", query="stroke")
    assert found.total == 1 and [(f.value, f.count) for f in found.facets["stage"]] == [("idea", 1)]


def test_a_new_search_costs_three_queries_once_the_facet_index_is_built(
    network, publish_innovation, django_assert_max_num_queries
):
    for n in range(3):
        publish_innovation(network, f"Renal {n}", "Renal care", care_settings=["acute"])
    search(kind="innovation", query="renal")
    with django_assert_max_num_queries(3):
        assert search(kind="innovation", query="renal", filters={"care_setting": ["acute"]}).total == 3
    with django_assert_max_num_queries(3):
        assert search(kind="innovation", filters={"care_setting": ["acute"]}).total == 3


def test_the_same_search_again_is_answered_from_memory_until_the_index_changes(
    network, publish_innovation, django_assert_num_queries
):
    for n in range(3):
        publish_innovation(network, f"Renal {n}", "Renal care", care_settings=["acute"])
    first = search(kind="innovation", query="renal", filters={"care_setting": ["acute"]})
    with django_assert_num_queries(1):  # only the index-version token
        again = search(kind="innovation", query="renal", filters={"care_setting": ["acute"]})
    assert again == first and again.total == 3
    # Another page, filter, network or wording is another search.
    assert search(kind="innovation", query="renal", page=2, per_page=2).page == 2
    assert search(kind="innovation", query="renal", filters={"care_setting": ["home"]}).total == 0
    assert search(kind="innovation", query="renal", network_slug="elsewhere").total == 0

    publish_innovation(network, "Renal 3", "Renal care", care_settings=["acute"])  # a write to the index
    fresh = search(kind="innovation", query="renal", filters={"care_setting": ["acute"]})
    assert fresh.total == 4 and "Renal 3" in [hit.title for hit in fresh.hits]


def test_this_process_keeps_a_bounded_number_of_results(network, publish_innovation, monkeypatch):
    from innovatorium.search import selectors

    monkeypatch.setattr(selectors, "RESULTS_KEPT", 3)
    publish_innovation(network, "Renal 0", "Renal care")
    for page in range(1, 6):
        search(kind="innovation", query="renal", page=page)
    assert len(selectors._RESULTS) == 3
    assert [key[-2] for key in selectors._RESULTS] == [3, 4, 5]  # the pages asked last


on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the in-memory text index is PostgreSQL's")
VOCABULARY = ["asthma", "asthmatic", "inhaler", "falls", "frailty", "home", "the", "care", "caring", "monitor"]


def _sql_matches(query):
    """What PostgreSQL itself says matches: the GIN-indexed tsvector against the same tsquery."""
    from innovatorium.search import query as q

    expression = q.to_tsquery(q.parse(query))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title FROM search_searchdocument WHERE kind = 'innovation'"
            " AND search_vector @@ to_tsquery('english', %s)", [expression],
        )
        return sorted(row[0] for row in cursor.fetchall())


@on_postgresql
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3), st.booleans())
def test_on_postgresql_the_in_memory_index_finds_exactly_what_postgresql_finds(
    network, publish_innovation, words, prefix_last
):
    from innovatorium.search import selectors

    if not SearchDocument.objects.exists():  # one corpus for every example: each title a different mix of words
        for n in range(24):
            chosen = [word for k, word in enumerate(VOCABULARY) if (n >> (k % 5)) & 1 or k == n % len(VOCABULARY)]
            publish_innovation(network, f"Doc {n}", " ".join(chosen) + ".")
    query = " ".join(words)
    results = search(kind="innovation", query=query, per_page=100, prefix_last=prefix_last)
    key = selectors._cache_key("innovation")
    assert selectors._TEXT_INDEXES[key].token == SearchIndexVersion.objects.get().token  # it was answered in memory
    if not prefix_last:
        assert sorted(titles(results)) == _sql_matches(query) and results.total == len(_sql_matches(query))
    else:  # the last word as a prefix finds at least what the whole word finds
        assert set(_sql_matches(query)) <= set(titles(results))


@on_postgresql
def test_on_postgresql_a_new_search_costs_two_queries_once_the_indexes_are_built(
    network, publish_innovation, django_assert_num_queries
):
    for n in range(30):
        publish_innovation(network, f"Renal {n}", "Renal care" + " kidney" * n, care_settings=["acute"])
    search(kind="innovation", query="care")
    with django_assert_num_queries(2):  # the token with the query's lexemes; the page's titles and snippets
        results = search(kind="innovation", query="renal", filters={"care_setting": ["acute"]}, page=2, per_page=5)
    assert results.total == 30
    # ranked by BM25: "renal" as often in each, so the shorter the document the higher (page 2: ranks 6-10)
    assert titles(results) == [f"Renal {n}" for n in range(5, 10)]
    assert [hit.rank for hit in results.hits] == sorted((hit.rank for hit in results.hits), reverse=True)
    assert "<mark>Renal</mark>" in results.hits[0].snippet


@on_postgresql
def test_on_postgresql_sql_answers_while_another_thread_builds_the_text_index(network, publish_innovation):
    from innovatorium.search import selectors

    publish_innovation(network, "Falls at home", "Sensors for frail people at home.")
    publish_innovation(network, "Inhaler", "Asthma care at home.")
    key = selectors._cache_key("innovation")
    lock = selectors._TEXT_BUILD_LOCKS.setdefault(key, __import__("threading").Lock())
    with lock:  # as if another thread were building it
        meanwhile = search(kind="innovation", query="home")
        assert selectors._TEXT_INDEXES.get(key) is None or selectors._TEXT_INDEXES[key].token != (
            SearchIndexVersion.objects.get().token
        )
    selectors.forget_kept_results()
    after = search(kind="innovation", query="home")
    assert selectors._TEXT_INDEXES[key].token == SearchIndexVersion.objects.get().token
    assert sorted(titles(meanwhile)) == sorted(titles(after)) == ["Falls at home", "Inhaler"]
    assert meanwhile.total == after.total == 2


@on_postgresql
def test_on_postgresql_phrases_are_answered_by_postgresql(network, publish_innovation):
    from innovatorium.search import selectors

    publish_innovation(network, "Together", "Text messaging for clinics.")
    publish_innovation(network, "Apart", "Messaging by text for clinics.")
    selectors._TEXT_INDEXES.clear()
    assert titles(search(kind="innovation", query='"text messaging"')) == ["Together"]
    assert not selectors._TEXT_INDEXES  # a phrase never needed the in-memory index


@pytest.mark.django_db(transaction=True)
def test_the_same_search_asked_at_once_is_worked_out_once(network, publish_innovation, monkeypatch):
    import threading

    from django.db import connections

    from innovatorium.search import selectors

    publish_innovation(network, "Renal 0", "Renal care")
    real, calls, started, release = selectors._answer, [], threading.Event(), threading.Event()

    def slow_answer(**kwargs):
        calls.append(kwargs["query"])
        started.set()
        release.wait(10)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "_answer", slow_answer)
    answers = []

    def ask():
        try:
            answers.append(search(kind="innovation", query="renal"))
        finally:
            connections.close_all()

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(10)
    others = [threading.Thread(target=ask) for _ in range(3)]
    for thread in others:
        thread.start()
    threading.Event().wait(0.5)  # time for the others to reach the search (without the wait, each would start)
    assert len(selectors._IN_FLIGHT) == 1 and all(t.is_alive() for t in others)
    release.set()
    for thread in [first, *others]:
        thread.join(10)
    assert calls == ["renal"] and len(answers) == 4
    assert all(answer is answers[0] for answer in answers) and answers[0].total == 1
    assert not selectors._IN_FLIGHT


@on_postgresql
def test_on_postgresql_a_text_index_too_big_to_hold_is_never_built_and_sql_answers(
    network, publish_innovation, monkeypatch
):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from innovatorium.search import selectors

    publish_innovation(network, "Falls at home", "Sensors for frail people at home.")
    publish_innovation(network, "Inhaler", "Asthma care at home.")
    key = selectors._cache_key("innovation")
    selectors._TEXT_INDEXES.pop(key, None)
    monkeypatch.setattr(selectors, "TEXT_INDEX_MAX_GIN_BYTES", 0)  # any GIN index is over the limit
    found = search(kind="innovation", query="home")
    assert sorted(titles(found)) == ["Falls at home", "Inhaler"] and found.total == 2
    assert key not in selectors._TEXT_INDEXES
    assert selectors._TEXT_TOO_BIG[key] == SearchIndexVersion.objects.get().token
    with CaptureQueriesContext(db) as queries:  # at this version it is not tried again
        assert titles(search(kind="innovation", query="asthma")) == ["Inhaler"]
    assert not any("unnest(" in query["sql"] for query in queries.captured_queries)
    publish_innovation(network, "Asthma app", "Reminders.")  # a new version: tried again, and held once it fits
    monkeypatch.setattr(selectors, "TEXT_INDEX_MAX_GIN_BYTES", 2**40)
    assert sorted(titles(search(kind="innovation", query="asthma"))) == ["Asthma app", "Inhaler"]
    assert selectors._TEXT_INDEXES[key].token == SearchIndexVersion.objects.get().token
