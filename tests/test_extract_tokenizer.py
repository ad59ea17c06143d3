"""The pipeline's tokenizer skips spaCy's affix rules for plain words; its tokens must be
spaCy's own (``pipeline.plain_words_have_no_affixes``)."""

import spacy

from conftest import need_seeds
from nhsgraph.extract.pipeline import build_pipeline

# Every kind of English prefix, suffix and infix rule, next to plain words: brackets,
# quotes, currency before digits, units and "%" after them, possessives, abbreviations,
# hyphens and slashes between letters, arithmetic between digits, ellipses, symbols,
# accented letters.
AFFIXES = (
    "(NHS) Upton's trust, “rated” £5m and US$5 or A$3; 3km 10mph 75% 5kg 2.5bn... §3 "
    "well-led co-operate and/or N.H.S. U.K. e.g. 3+4 1-2 Jan–Mar x...y ©NHS 20°C. "
    "Zürich-based naïve Café. Trust’s 'quoted' [sic] {x} <b> #tag *note* a_b ¿Qué? "
    "can't won't gonna cannot :) http://nhs.uk/a-b www.cqc.org.uk 9am 3pm 1st 2nd "
    "CCGs' PCT/SHA ICB:NHS done! why? well—yes; Mr. Roe, Dr. Ann St. Mary's."
)


def _tokens(tokenizer, texts):
    return [[(t.text, t.idx, t.whitespace_) for t in tokenizer(text)] for text in texts]


def _same_tokens_as_spacy(texts):
    ours = build_pipeline().tokenizer
    assert _tokens(ours, texts) == _tokens(spacy.blank("en").tokenizer, texts)


def test_tokens_are_spacys_around_every_kind_of_affix():
    # (again at the end: the affix searches it remembers)
    _same_tokens_as_spacy([AFFIXES, AFFIXES.upper(), AFFIXES.replace(" ", "\n"), AFFIXES])


def test_tokens_are_spacys_on_the_seeds():
    _same_tokens_as_spacy([p.read_text(encoding="utf-8")
                           for p in sorted(need_seeds().glob("*.txt"))])


def test_tokens_are_spacys_around_urls():
    """The URL pattern is tried only on chunks with a dot (``pipeline.urls_have_a_dot``)."""
    urls = ("http://nhs.uk https://www.cqc.org.uk/a?b=1#c nhs.uk/x 10.0.0.1 192.168.1.1:8080 "
            "8.8.8.8 user@mail.nhs.uk mailto:a@b.com ftp://x.y localhost:8080 http://localhost "
            "a://b user@host 127.0.0.1/x café.fr xn--nhs.uk (www.gov.uk) www.gov.uk. Trust.Board")
    _same_tokens_as_spacy([urls, urls.upper(), urls.replace(" ", "\n")])


def test_url_pattern_needs_a_dot():
    from spacy.lang.tokenizer_exceptions import URL_MATCH

    for s in ("http://localhost", "localhost:8080", "a://b", "user@host", "https://nhs/uk/x",
              "mailto:a@b", "10:0:0:1", "1000", "nhs"):
        assert not URL_MATCH(s), s
