"""The spaCy pipeline: ``spacy.blank("en")`` plus rule-based components (no models).

Components, in order (each records what it found in ``doc.user_data``; organisation
mentions also go to ``doc.spans["orgs"]`` with the type as label and the canonical name
as ``kb_id``):

- ``nhs_doc_date``  the document date (given, or found in the text's head)
- ``nhs_gazetteer`` PhraseMatcher over the gazetteer's surface forms
- ``nhs_orgs``      pattern mentions, overlap resolution, aliases, short references
- ``nhs_figures``   dates, money, percentages, CQC ratings
- ``nhs_people``    people with roles
- ``nhs_events``    event triggers

Example::

    nlp = build_pipeline(Gazetteer.national())
    doc = nlp("The CQC rated the trust Inadequate.")
    doc.user_data["nhs_orgs"][0].name   # "Care Quality Commission"
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import spacy
from spacy.attrs import LANG, LOWER
from spacy.lang.tokenizer_exceptions import URL_MATCH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from nhsgraph.extract import events as ev
from nhsgraph.extract import figures as fig
from nhsgraph.extract import lists
from nhsgraph.extract import orgs as og
from nhsgraph.extract.anchors import Anchors, install
from nhsgraph.extract.attendance import find_attendance, merge_listed
from nhsgraph.extract.gazetteer import CASE_SENSITIVE, Entry, Gazetteer
from nhsgraph.extract.people import FIND, find_people, principal_org
from nhsgraph.extract.temporal import (date_candidates, document_date, era_date, parse_ref,
                                       resolve_dates, scan_dates)

COMPONENTS = ("nhs_doc_date", "nhs_gazetteer", "nhs_orgs", "nhs_figures", "nhs_people",
              "nhs_events")


@Language.factory("nhs_doc_date")
def _make_doc_date(nlp, name):
    def component(doc: Doc) -> Doc:
        u = doc.user_data
        if "text" not in u:
            u["text"] = doc.text   # Doc.text re-joins every token on each access
        text = u["text"]
        if "nhs_raw_dates" not in u:   # dates are scanned once, here or in api._prepare
            u["nhs_raw_dates"] = scan_dates(text, candidates=date_candidates(Anchors.of(doc)))
        if "doc_date" not in u:   # not already looked for (api._prepare looks, with metadata)
            u["doc_date"] = document_date(text, None, u["nhs_raw_dates"])
        u["nhs_dates"] = resolve_dates(text, u["nhs_raw_dates"], u.get("doc_date"))
        # the date organisation names are resolved at (never reported as the doc date)
        u["nhs_when"] = u.get("doc_date") or era_date(text, u["nhs_dates"])
        return doc
    return component


_LOWER_OK = {"and", "of", "the", "for", "with", "upon", "on", "in", "&", "-"}


def _cased_as_a_name(text: str) -> bool:
    """Names are written capitalised (or in capitals); lower-case content words mean the
    words are used as ordinary words."""
    return text.isupper() or all(not w[0].isalpha() or w[0].isupper() or w in _LOWER_OK
                                 for w in text.split())


class GazetteerMatcher:
    """Finds gazetteer surface forms, case-insensitively except for word-like aliases."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[int, object] = {}
        self.gazetteer: Gazetteer | None = None

    def set_gazetteer(self, gaz: Gazetteer) -> None:
        self.gazetteer = gaz
        # One label per entry, not per name: bodies that share a later name (the sub-ICB
        # locations an ICB took over are all "NHS Upshire ICB") keep their own histories.
        by_entry: dict[tuple[Entry, bool], list[str]] = {}
        forms = list(gaz.forms())
        for form, entry in forms:
            exact = form in CASE_SENSITIVE or (form.isupper() and len(form) <= 5)
            by_entry.setdefault((entry, exact), []).append(form)
        labels: dict[str, int] = {}
        for (entry, exact), fs in sorted(by_entry.items(), key=lambda kv: (
                kv[0][0].org_type, kv[0][0].name, kv[0][1], sorted(kv[1]))):
            label = f"{entry.org_type}|{entry.name}"
            n = labels[label] = labels.get(label, 0) + 1
            if n > 1:
                label = f"{label}|{n}"
            key = self.nlp.vocab.strings.add(label)
            pats = list(self.nlp.tokenizer.pipe(sorted(set(fs))))
            (self.exact if exact else self.lower).add(label, pats)
            self.entries[key] = entry

    def __call__(self, doc: Doc) -> Doc:
        found = []
        when = doc.user_data.get("nhs_when")
        for matcher in (self.lower, self.exact):
            for key, s, e in matcher(doc):
                span = doc[s:e]
                if matcher is self.lower and not _cased_as_a_name(span.text):
                    continue   # "NHS providers" is a common noun phrase, not NHS Providers
                entry = self.entries[key]
                if not entry.known_at(when):
                    continue   # not yet in being: the patterns read the name
                name, typ = entry.at(when)
                if not entry.named_at(when):   # named only later: as written
                    name = og.canonical_guess(og.Mention(0, 0, span.text, typ, span.text, ""))
                found.append(og.Mention(span.start_char, span.end_char, span.text, typ, name,
                                        "gazetteer", True))
        doc.user_data["nhs_gaz"] = found
        return doc


@Language.factory("nhs_gazetteer")
def _make_gazetteer(nlp, name):
    return GazetteerMatcher(nlp)


@Language.factory("nhs_orgs")
def _make_orgs(nlp, name):
    def component(doc: Doc) -> Doc:
        text = doc.user_data.get("text") or doc.text
        ref = parse_ref(doc.user_data.get("doc_date"))
        gaz_component = nlp.get_pipe("nhs_gazetteer")
        gaz = gaz_component.gazetteer
        pats = og.pattern_mentions(text, ref.year if ref else None, ref.month if ref else 1,
                                   Anchors.of(doc))
        if gaz is not None:
            when = doc.user_data.get("nhs_when")
            pats = [og.relink(m, gaz, when) for m in pats]
        named = lists.place_before_nhs(text, og.select(doc.user_data.get("nhs_gaz", []) + pats))
        when = doc.user_data.get("nhs_when")

        def relink_piece(m, piece):
            r = og.relink(m, gaz, when) if gaz is not None else m
            return og.Mention(m.start, m.end, piece, r.org_type, r.name, m.component, r.linked)

        named = lists.split_shared(text, named, relink_piece)
        named = lists.widen_names(text, named, relink_piece)
        anchors = Anchors.of(doc)
        listed = lists.list_mentions(text, named, relink_piece, anchors) + lists.place_bodies(
            text, named, relink_piece)
        if listed:
            occupied = og.Occupied(len(text), ((m.start, m.end) for m in listed))
            named = og.select([m for m in named if not occupied.overlaps(m.start, m.end)]
                              + listed)
        for more in (og.alias_mentions, og.stem_mentions):
            extra = more(text, named)
            if extra:
                named = og.select(named + extra)
        extra = lists.outside_mentions(text, named, anchors)   # (it avoids the named ones)
        if extra:
            named = sorted(named + extra, key=og.BY_SPAN)
        named = lists.place_council_bodies(text, named)
        extra = lists.council_short_mentions(text, named)   # (so does this)
        if extra:
            named = sorted(named + extra, key=og.BY_SPAN)
        named, unborn = lists.not_yet(text, named)
        named = lists.formerly(text, named)
        named = lists.ended_pcts(text, named, doc.user_data.get("nhs_when"))
        named = og.expand_acronyms(named, gaz, doc.user_data.get("nhs_when"))
        named = og.split_joined(named, gaz, doc.user_data.get("nhs_when"))
        # (what people are at is worked out from the same mentions: see nhs_people)
        salient = doc.user_data["nhs_salient"] = og.salient_by_type(named)
        shorts = og.short_references(text, named, salient)
        if unborn:
            gone = og.Occupied(len(text), unborn)
            shorts = [m for m in shorts if not gone.overlaps(m.start, m.end)]
        mentions = sorted(named + shorts, key=og.BY_SPAN)
        doc.user_data["nhs_orgs"] = mentions
        doc.spans["orgs"] = _mention_spans(doc, text, mentions, anchors)
        return doc
    return component


def _mention_spans(doc: Doc, text: str, mentions: list, anchors: Anchors) -> list[Span]:
    """``doc.char_span(m.start, m.end, label=m.org_type, kb_id=m.name,
    alignment_mode="expand")`` for each mention (those it gives), for less (3.6 -> 3.0 us a
    mention in the pipeline): the tokens at both ends are looked up for all mentions at
    once, and each label and name string is added to the vocabulary once a document. The
    tokens and single spaces tile the text, so the token holding a character is the last
    one starting at or before
    it; a mention that starts on a space (where char_span may move to the next token) or
    lies outside the text is left to char_span."""
    if not mentions:
        return []
    n = len(text)
    bounds = np.searchsorted(anchors.idx, np.fromiter(
        (x for m in mentions for x in (m.start, m.end - 1)), dtype=np.int64,
        count=2 * len(mentions)), side="right").tolist()
    strings, known = doc.vocab.strings, {}

    def add(s: str) -> int:
        h = known.get(s)
        if h is None:
            h = known[s] = strings.add(s)
        return h
    spans = []
    for k, m in enumerate(mentions):
        if 0 <= m.start < m.end <= n and not text[m.start].isspace():
            spans.append(Span(doc, bounds[2 * k] - 1, bounds[2 * k + 1],
                              label=add(m.org_type), kb_id=add(m.name)))
        else:
            sp = doc.char_span(m.start, m.end, label=m.org_type, kb_id=m.name,
                               alignment_mode="expand")
            if sp is not None:
                spans.append(sp)
    return spans


@Language.factory("nhs_figures")
def _make_figures(nlp, name):
    def component(doc: Doc) -> Doc:
        text = doc.user_data.get("text") or doc.text
        sents = ev.sentences(text)
        doc.user_data["nhs_sentences"] = sents
        doc.user_data["nhs_figures"] = (fig.find_money(text) + fig.find_percentages(text)
                                        + fig.find_ratings(text, sents, Anchors.of(doc)))
        return doc
    return component


@Language.factory("nhs_people")
def _make_people(nlp, name):
    def component(doc: Doc) -> Doc:
        orgs = doc.user_data.get("nhs_orgs", [])
        span = doc.user_data.get("meeting_body_span")
        body = next((m for m in orgs if span and span[0] <= m.start < span[1]), None)
        if body is None and span and doc.user_data.get("meeting_body"):
            name = doc.user_data["meeting_body"]   # the minutes' heading names the body
            body = og.Mention(span[0], span[1], name, "council_body", name, "minutes:body")
        text = doc.user_data.get("text") or doc.text
        # Both worked out once for people and events. ``orgs`` is sorted and ``nhs_salient``
        # was taken over its mentions other than short references, in the same order: what
        # find_people and find_events would work out themselves.
        principal = doc.user_data["nhs_principal"] = principal_org(orgs, text)
        people = find_people(text, orgs, Anchors.of(doc), body,
                             doc.user_data.get("nhs_salient"), principal)
        listed, affiliations, blocks = find_attendance(text, orgs, body, principal) \
            if "meeting_body" in doc.user_data else ([], [], [])   # (minutes only)
        if affiliations:
            orgs = doc.user_data["nhs_orgs"] = sorted(orgs + affiliations,
                                                      key=og.BY_SPAN)
        if listed or blocks:
            people = merge_listed(people, listed, blocks)
        doc.user_data["nhs_people"] = people
        return doc
    return component


@Language.factory("nhs_events")
def _make_events(nlp, name):
    def component(doc: Doc) -> Doc:
        ratings = [f for f in doc.user_data.get("nhs_figures", []) if f.kind == "rating"]
        events = doc.user_data["nhs_events"] = ev.find_events(
            doc.user_data["text"], doc.user_data.get("nhs_sentences") or ev.sentences(doc.text),
            doc.user_data.get("nhs_orgs", []), doc.user_data.get("nhs_dates", []),
            doc.user_data.get("doc_date"), ratings, doc.user_data.get("meeting_date"),
            Anchors.of(doc), doc.user_data.get("nhs_principal", FIND))
        doc_date = doc.user_data.get("doc_date")
        if doc_date and any(e.type == "ft_application_decision" for e in events):
            doc.user_data["nhs_orgs"] = ev.trusts_before_authorisation(
                doc.user_data.get("nhs_orgs", []), events, doc_date)
        return doc
    return component


def _unless_plain_word(search, nothing):
    def search_unless_plain(chunk: str):
        if chunk.isascii() and chunk.isalpha():
            return nothing
        return search(chunk)
    return search_unless_plain


def plain_words_have_no_affixes(tokenizer) -> None:
    """Skip the affix regexes for chunks of ASCII letters only, the bulk of the words the
    tokenizer meets for the first time ("commissioning"): every prefix, suffix and infix
    rule of English needs a character other than a letter (punctuation, a digit before a
    unit, a hyphen), so none can match such a chunk. The tokens are the same; each
    regex search costs 2-7 microseconds per new word, most of an uncached word's time.
    (``test_extract_tokenizer`` holds the equivalence to spaCy's tokenizer.)

    The other chunks' prefix and suffix searches are remembered: spaCy stops caching a
    document's chunks after its first special case ("Dr", "'s", ...) and once it holds
    10,000 chunks, then splits the same chunks ("Trust.", "(syntax") again and again, the
    suffix regex at 6 microseconds a time (0.32 s of CPU over the varied corpus; 0.15 s
    remembered)."""
    remembered = lru_cache(maxsize=100_000)
    tokenizer.prefix_search = _unless_plain_word(remembered(tokenizer.prefix_search), None)
    tokenizer.suffix_search = _unless_plain_word(remembered(tokenizer.suffix_search), None)
    tokenizer.infix_finditer = _unless_plain_word(tokenizer.infix_finditer, ())


def _url_match_needs_a_dot(url_match):
    def url_match_with_a_dot(chunk: str):
        return url_match(chunk) if "." in chunk else None
    return url_match_with_a_dot


def urls_have_a_dot(tokenizer) -> None:
    """Try spaCy's URL pattern only on chunks with a ".": both of its forms, a host name
    ("nhs.uk") and an IP address, hold one. The tokenizer tries the pattern on every new
    word, at about a microsecond a word (0.12 s of CPU over the 5 MB varied corpus)."""
    if tokenizer.url_match is URL_MATCH:   # (a pattern we know)
        tokenizer.url_match = _url_match_needs_a_dot(URL_MATCH)


# Whitespace-separated chunks the tokenizer keeps its split of: the 5 MB varied corpus holds
# about 58,000 distinct chunks (a few MB of cache at most).
CHUNK_CACHE_SIZE = 200_000


def cache_more_chunks(tokenizer, size: int = CHUNK_CACHE_SIZE) -> None:
    """Let the tokenizer remember the split of up to ``size`` chunks instead of spaCy's
    10,000: once its cache is full spaCy splits every other chunk again ("Trust.",
    "(CQC)", "2012,") each time it meets it, and a corpus of a few MB holds several times
    that many distinct chunks. The cache is spaCy's own (same tokens; it still skips chunks
    of documents with special cases, see spaCy #1250); 0.3 s less CPU over the varied
    corpus after the templates one, 0.6 s when its words are known."""
    tokenizer.max_cache_size = max(tokenizer.max_cache_size, size)


def build_pipeline(gazetteer: Gazetteer | None = None) -> Language:
    """A blank English pipeline with the nhsgraph components, using ``gazetteer``
    (default: the built-in national bodies only)."""
    nlp = spacy.blank("en")
    nlp.max_length = 10 ** 9
    # The components read the tokens' text, lower case and offsets only; spaCy's other
    # lexical attributes (shape, like_num, like_url, stop word, ...) would be computed for
    # each new word the tokenizer meets, about a fifth of its time, and never read.
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {a: getters[a] for a in (LANG, LOWER) if a in getters}
    install(nlp.vocab)
    plain_words_have_no_affixes(nlp.tokenizer)
    urls_have_a_dot(nlp.tokenizer)
    cache_more_chunks(nlp.tokenizer)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    nlp.get_pipe("nhs_gazetteer").set_gazetteer(gazetteer or Gazetteer.national())
    return nlp
