import re

from hypothesis import given
from hypothesis import strategies as st

from innovatorium.search import query as q

SAFE_FTS5 = re.compile(r'^(\(?"[^"\W_]*( [^"\W_]+)*"\*?( OR "[^"\W_]+"\*\))?( AND |$))+$')


def test_words_are_anded_and_quoted_for_fts5():
    assert q.to_fts5(q.parse("Diabetes education")) == '"diabetes" AND "education"'


def test_quoted_text_and_hyphenated_words_become_phrases():
    parsed = q.parse('"text messaging" self-management')
    assert [term.words for term in parsed.terms] == [("text", "messaging"), ("self", "management")]
    assert q.to_tsquery(parsed) == "('text' <-> 'messaging') & ('self' <-> 'management')"


def test_operators_and_punctuation_are_just_dropped():
    parsed = q.parse('diabetes AND (NOT "heart) OR -foo* NEAR(bar) {title}: ^x')
    assert "(" not in "".join(parsed.words)
    assert q.to_fts5(parsed).count('"') % 2 == 0


def test_type_ahead_makes_only_the_last_bare_word_a_prefix():
    parsed = q.parse("school nur", prefix_last=True)
    assert q.to_fts5(parsed) == '"school" AND ("nur" OR "nur"*)'
    assert q.to_tsquery(parsed) == "'school' & 'nur':*"


def test_no_prefix_once_the_word_is_finished_with_a_space():
    assert not q.parse("school nur ", prefix_last=True).terms[-1].prefix


def test_title_only_type_ahead_uses_a_column_filter_and_weights():
    parsed = q.parse("dia", prefix_last=True)
    assert q.to_fts5(parsed, column="title") == '{title} : (("dia" OR "dia"*))'
    assert q.to_tsquery(parsed, weights="A") == "'dia':*A"


def test_empty_or_punctuation_only_input_is_an_empty_query():
    for text in ["", "   ", '"" -- ** ()', "\x00\x01"]:
        parsed = q.parse(text)
        assert not parsed
        assert q.to_fts5(parsed) == q.to_tsquery(parsed) == ""


def test_very_long_input_is_bounded():
    parsed = q.parse("word " * 10_000)
    assert len(parsed.terms) == 1
    assert len(q.parse(" ".join(f"w{i}" for i in range(500))).terms) <= q.MAX_TERMS


def test_highlight_escapes_text_and_marks_matches():
    snippet = f"<script>x</script> {q.MARK_START}diabetes{q.MARK_END} & more"
    assert q.highlight(snippet) == "&lt;script&gt;x&lt;/script&gt; <mark>diabetes</mark> &amp; more"


def test_highlight_never_leaves_a_mark_open():
    assert q.highlight(f"{q.MARK_START}cut off") == "<mark>cut off</mark>"
    assert q.highlight(f"stray{q.MARK_END}") == "stray"


def test_indexed_text_cannot_forge_markers():
    assert q.MARK_START not in q.clean_text(f"a{q.MARK_START}b")


@given(st.text(max_size=300), st.booleans())
def test_any_text_parses_into_only_safe_tokens(text, prefix_last):
    parsed = q.parse(text, prefix_last=prefix_last)
    for word in parsed.words:
        assert word and all(ch.isalnum() for ch in word)
    fts = q.to_fts5(parsed)
    assert fts == "" or SAFE_FTS5.match(fts), fts
    tsquery = q.to_tsquery(parsed)
    assert "\\" not in tsquery and ";" not in tsquery


@given(st.text(max_size=100))
def test_highlight_of_any_text_contains_no_raw_angle_brackets(text):
    out = q.highlight(text).replace("<mark>", "").replace("</mark>", "")
    assert "<" not in out and ">" not in out
