import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from innovatorium.search import facet_index as fi

VALUES = ["a", "b", "c", "d"]
documents = st.dictionaries(
    st.integers(min_value=1, max_value=300),
    st.fixed_dictionaries({"colour": st.sets(st.sampled_from(VALUES)), "size": st.sets(st.sampled_from(VALUES))}),
    max_size=40,
)


def build(docs):
    order = sorted(docs, reverse=True)
    groups = []
    for name in ("colour", "size"):
        for value in VALUES:
            ids = [doc for doc in order if value in docs[doc][name]]
            if ids:
                groups.append((name, value, value.upper(), ",".join(map(str, ids))))
    return fi.build(token=7, order_ids=",".join(map(str, order)), groups=groups)


@given(docs=documents, chosen=st.sets(st.integers(min_value=0, max_value=320)), wanted=st.sets(st.sampled_from(VALUES)))
def test_counts_and_filters_agree_with_counting_by_hand(docs, chosen, wanted):
    index = build(docs)
    selection = index.mask_of(np.array(sorted(chosen), dtype=np.int64))
    selected = {int(i) for i in index.ids_in_order(selection)}
    assert selected == chosen & set(docs)
    expected = {}
    for doc in selected:
        for value in docs[doc]["colour"]:
            expected[value] = expected.get(value, 0) + 1
    assert {value: count for value, _label, count in index.counts("colour", selection)} == expected
    filtered = {int(i) for i in index.ids_in_order(index.field_mask("size", wanted))}
    assert filtered == {doc for doc in docs if docs[doc]["size"] & wanted}


def test_browse_order_is_kept_and_unknown_ids_fields_and_values_match_nothing():
    index = fi.build(token=1, order_ids="5,9,2", groups=[("colour", "red", "Red", "2,9,77")])
    assert index.ids_in_order(index.everything()).tolist() == [5, 9, 2]
    assert index.ids_in_order(index.mask_of(np.array([2, 400, -1]))).tolist() == [2]
    assert index.counts("colour", index.everything()) == [("red", "Red", 2)]
    assert not index.field_mask("colour", ["blue"]).any()
    assert not index.field_mask("shape", ["red"]).any()


def test_an_empty_index_counts_nothing():
    index = fi.build(token=None, order_ids=None, groups=[])
    assert index.size == 0 and index.counts("colour", index.everything()) == []


def test_threads_needing_a_new_facet_index_at_once_build_it_once_and_share_it():
    import threading
    import time
    from types import SimpleNamespace

    from innovatorium.search import selectors

    key = ("default", "single-flight-test", "innovation")
    builds = []

    def build():  # noqa: ANN202 - a stand-in for the one-second national build
        builds.append(1)
        time.sleep(0.2)
        return SimpleNamespace(token=7)

    got, start = [], threading.Barrier(6)

    def search_now() -> None:
        start.wait()
        got.append(selectors._current_index(key, 7, build))

    threads = [threading.Thread(target=search_now) for _ in range(6)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(builds) == 1
        assert len(got) == 6 and all(index is got[0] for index in got)
        assert selectors._current_index(key, 8, build).token == 7 and len(builds) == 2  # a new version: built again
    finally:
        selectors._INDEXES.pop(key, None)
        selectors._BUILD_LOCKS.pop(key, None)
