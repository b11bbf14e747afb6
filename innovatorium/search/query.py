"""Turn whatever someone types into a safe full-text query. Framework-free.

People type words, "quoted phrases", hyphenated-words, stray operators and punctuation. Everything that is
not a letter or digit is dropped, so no input can ever be a syntax error in SQLite FTS5 `MATCH` or in
PostgreSQL `to_tsquery`: every token that reaches either engine is a run of letters and digits, quoted.

- words are ANDed together;
- "quoted phrases" and hyphenated-words become phrases (the words next to each other, in order);
- with `prefix_last=True` (type-ahead) the last bare word also matches as a prefix ("diab" finds "diabetes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_INPUT_CHARS = 200
MAX_TERMS = 12
MAX_WORDS_PER_PHRASE = 8

# Private-use characters mark highlighted matches inside snippets; they are removed from indexed text.
MARK_START = "\ue000"
MARK_END = "\ue001"

_WORD = re.compile(r"[^\W_]+")
# A "chunk" is a quoted phrase or a run of non-space characters.
_CHUNK = re.compile(r'["“”„]([^"“”„]*)["“”„]?|([^\s"“”„]+)')
_MARKERS = re.compile(f"([{MARK_START}{MARK_END}])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def words(self) -> list[str]:
        return [word for term in self.terms for word in term.words]


def clean_text(text: str) -> str:
    """Text fit to index: control characters and the snippet markers removed."""
    return _CONTROL.sub(" ", text or "")


def parse(text: str, *, prefix_last: bool = False, min_prefix: int = 2) -> ParsedQuery:
    """Parse user input into terms. Never raises for any string."""
    text = clean_text(text or "")[:MAX_INPUT_CHARS]
    terms: list[Term] = []
    seen: set[tuple[str, ...]] = set()
    for match in _CHUNK.finditer(text):
        quoted, bare = match.group(1), match.group(2)
        words = tuple(w.casefold() for w in _WORD.findall(quoted if quoted is not None else bare))
        words = words[:MAX_WORDS_PER_PHRASE]
        if not words or words in seen:
            continue
        seen.add(words)
        terms.append(Term(words=words))
        if len(terms) >= MAX_TERMS:
            break
    if prefix_last and terms:
        last = terms[-1]
        ends_cleanly = text.rstrip() == text and not text.endswith(tuple('"“”„'))
        if ends_cleanly and not last.is_phrase and len(last.words[0]) >= min_prefix:
            terms[-1] = Term(words=last.words, prefix=True)
    return ParsedQuery(terms=tuple(terms))


def _fts5_term(term: Term) -> str:
    quoted = '"' + " ".join(term.words) + '"'
    if term.prefix:
        # The whole word (stemmed by the index's tokenizer) or anything it begins.
        return f"({quoted} OR {quoted}*)"
    return quoted


def to_fts5(parsed: ParsedQuery, *, column: str | None = None) -> str:
    """An FTS5 MATCH expression ('' when there is nothing to search for)."""
    if not parsed:
        return ""
    expression = " AND ".join(_fts5_term(term) for term in parsed.terms)
    if column:
        if not re.fullmatch(r"[a-z_]+", column):
            raise ValueError(f"Not a column name: {column!r}")
        return f"{{{column}}} : ({expression})"
    return expression


def _pg_term(term: Term, weights: str) -> str:
    suffix = ":*" if term.prefix else ""
    if weights:
        suffix = (suffix or ":") + weights
    lexemes = [f"'{word}'{suffix}" for word in term.words]
    if len(lexemes) == 1:
        return lexemes[0]
    return "(" + " <-> ".join(lexemes) + ")"


def to_tsquery(parsed: ParsedQuery, *, weights: str = "") -> str:
    """Text for PostgreSQL `to_tsquery(config, ...)` ('' when there is nothing to search for).

    `weights` ("A", "AB") restricts the match to those weights (A is the title).
    """
    if not parsed:
        return ""
    if weights and not re.fullmatch(r"[A-D]{1,4}", weights):
        raise ValueError(f"Not tsquery weights: {weights!r}")
    return " & ".join(_pg_term(term, weights) for term in parsed.terms)


def highlight(snippet: str) -> str:
    """Escape a snippet made with MARK_START/MARK_END and wrap the marked matches in <mark>."""
    escaped = (
        snippet.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("'", "&#x27;")
    )
    # Unbalanced markers (a snippet cut mid-match) must never leave an open tag. Split on the markers rather than
    # walk character by character: twenty snippets a page, and the walk was a tenth of a search's Python time.
    out: list[str] = []
    open_mark = False
    for piece in _MARKERS.split(escaped):
        if piece == MARK_START:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif piece == MARK_END:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        elif piece:
            out.append(piece)
    if open_mark:
        out.append("</mark>")
    return "".join(out)
