"""bench/load_bench.py's Atlas search mix: distinct searches made from the database's own words, asked with
Zipf popularity in a seeded order, and the wrk Lua script that asks them."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from bench.load_bench import SEQUENCE_LENGTH, search_mix, wrk_script
from innovatorium.atlas.demo import create_demo_atlas
from innovatorium.atlas.models import Innovation

pytestmark = pytest.mark.django_db


def test_the_search_mix_is_distinct_searches_from_the_databases_words_asked_with_zipf_popularity(network):
    create_demo_atlas(random.Random(3), count=30)

    mix = search_mix(500)

    assert mix == search_mix(500)  # the same database and seed: the same searches in the same order
    assert len(mix.paths) == len(set(mix.paths)) == 500
    assert all(path.startswith("/atlas/?") for path in mix.paths)
    words = " ".join(Innovation.objects.values_list("name", flat=True)).lower()
    assert sum(path.removeprefix("/atlas/?q=").split("&")[0].split("+")[0] in words for path in mix.paths) > 100
    assert {"a plain search", "a search with a filter", "a second page", "a misspelt search"} <= set(mix.kinds)
    asked = Counter(mix.sequence)
    assert len(mix.sequence) == SEQUENCE_LENGTH
    assert asked[0] > asked[9] > asked[99]  # rank k in proportion to 1/k: ~4,400, ~440, ~44 of 30,000
    assert mix.share(range(1)) == pytest.approx(1 / sum(1 / k for k in range(1, 501)))


def test_the_wrk_script_walks_the_sequence_and_refuses_a_path_lua_would_misread():
    script = wrk_script(["/atlas/?q=falls", "/atlas/?q=virtual+ward&page=2"], [1, 0, 1])

    assert 'paths = {\n"/atlas/?q=falls",\n"/atlas/?q=virtual+ward&page=2"\n}' in script
    assert "sequence = {2,1,2}" in script  # Lua counts from 1
    assert "request = function()" in script and "done = function(" in script
    assert "request = function()" not in wrk_script()  # one path: wrk sends the URL it was given
    with pytest.raises(ValueError, match="not a plain URL-encoded path"):
        wrk_script(['/atlas/?q="falls"'], [0])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.timeout(300)
def test_every_web_worker_can_be_asked_to_forget_its_kept_search_results(shared_database):
    """ask_every_web_worker reaches each gunicorn worker (the search mix's rounds start without kept search
    results in any process): every worker answers /bench/forget/ with its own process id."""
    import requests

    from bench._server import running_site

    shared_database.publish()
    with running_site(shared_database.url, workers=2, threads=2, worker_process=False) as site:
        workers = site.web_worker_pids()
        answered = set()
        for _ in range(200):
            answered.add(int(requests.get(site.url + "/bench/forget/", timeout=30).text))
            if answered == workers:
                break
        site.ask_every_web_worker("/bench/forget/")
    assert len(workers) == 2 and answered == workers
