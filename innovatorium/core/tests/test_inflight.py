from innovatorium.core.inflight import InFlight


def test_the_first_asker_works_and_the_others_wait_until_it_leaves():
    work = InFlight()
    assert work.join("page") is None  # first: does the work
    waiting = work.join("page")
    assert waiting is not None and not waiting.is_set()
    assert work.join("other") is None and len(work) == 2  # another key is another piece of work
    work.leave("page")
    assert waiting.is_set() and len(work) == 1
    assert work.join("page") is None  # done: the next asker works again
    work.leave("page")
    work.leave("page")  # leaving twice is harmless
    work.leave("other")
    assert not work
