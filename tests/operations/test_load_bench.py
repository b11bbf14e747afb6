"""bench/load_bench.py's Atlas search mix: distinct searches made from the database's own words, asked with
Zipf popularity in a seeded order, and the wrk Lua script that asks them."""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

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


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (gunicorn's workers under its master), from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.timeout(300)
def test_each_round_of_the_search_mix_gets_new_web_processes_that_answer(shared_database, tmp_path):
    """The mix's rounds start cold: renew_web_workers replaces every gunicorn worker (nothing kept in memory carries
    over) and returns only once the new ones answer."""
    import requests

    from bench._server import running_site

    shared_database.publish()
    with running_site(shared_database.url, workers=2, threads=2, worker_process=False,
                      log=tmp_path / "server.log") as site:
        before = _children(site.web.pid)
        assert len(before) == 2
        site.renew_web_workers()
        assert requests.get(site.url + "/atlas/?q=anything", timeout=30).status_code == 200
        deadline = time.monotonic() + 30
        while _children(site.web.pid) & before and time.monotonic() < deadline:  # the old ones wind down
            time.sleep(0.2)
        after = _children(site.web.pid)
    assert len(after) == 2 and not after & before
