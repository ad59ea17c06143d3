"""Cheap token anchors: where in a document the detailed patterns are worth trying.

The detailed regular expressions (dates, people, event triggers) are slow when tried at
every character. spaCy has already split the text into tokens, so each component first
asks which tokens could start (or sit inside) what it looks for -- a month name, a digit,
a role word, an event trigger word -- and runs its detailed pattern only there. Each
word is classified once, when the tokenizer first meets it, and its bits are kept on its
lexeme (see :func:`install`); the per-document work is one ``to_array`` and a few numpy
operations over the token array.

Example::

    a = Anchors.of(nlp("Chief executive Jane Roe resigned in March 2012."))
    [int(a.idx[i]) for i in a.where(ROLE)]   # [0]
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

import numpy as np
from spacy.attrs import IDX, SHAPE
from spacy.tokens import Doc
from spacy.vocab import Vocab

DIGIT, MONTH, DAY, REL, ROLE, RATING, PAREN, PERCENT, ORG_WORD, RATED, ROLE_HEAD, ROLE_TAIL, \
    SPACE = (1 << i for i in range(13))

_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_ALPHA = re.compile(r"[a-z]+")
_REL = {"this", "last", "next"}
# First words of the role phrases in roles.py (a role phrase always starts with one).
_ROLE_FIRST = {
    "chief", "ceo", "accountable", "clinical", "vice", "deputy", "chair", "chairman",
    "chairwoman", "chairperson", "non", "non-executive", "lay", "medical", "nurse", "finance",
    "managing", "assistant", "executive", "regional", "national", "strategic", "active",
    "policy", "interim", "acting", "joint", "director", "leader", "councillor", "cllr", "cabinet",
    "health", "communities", "shadow", "secretary", "minister", "partner", "senior", "fellow",
    "president", "spokesman", "spokeswoman", "spokesperson", "governor", "head",
    "democratic", "committee", "scrutiny", "governance", "communications", "press", "project",
    "programme", "practice", "engagement", "nominee", "representative"}
# Role first words that are also common in organisations' names ("Medical Centre",
# "Clinical Commissioning Group") and start a role only before one of these next words
# ("medical director", "health secretary", "clinical lead", "strategic director").
_ROLE_HEADS = {"medical", "health", "clinical", "strategic"}
_ROLE_TAILS = ("director", "secretary", "minister", "lead", "chair")
# Stems of the event trigger words (events.py), per event type: a sentence is tried for
# an event type only if one of its tokens starts with one of that type's stems. Every
# trigger of the type has a word with one of them; the rarer the words the better the
# filter ("formed a cluster" and "board merger" are found through "cluster"/"merger").
EVENT_STEMS: dict[str, tuple[str, ...]] = {
    "ft_application_decision": ("foundation", "ft", "proceed", "authoris"),
    "rating_published": ("rated", "downgrad", "upgrad", "rating"),
    "appointment": ("appoint", "took", "named", "join", "confirmed", "elected", "re-elected",
                    "reelected"),
    "departure": ("resign", "step", "stand", "retir", "left", "suspended", "sacked",
                  "dismissed"),
    "budget_delegation": ("delegat",),
    "merged": ("merg", "amalgamat", "acqui", "took", "tak", "replac"),
    "clustered": ("cluster", "merger"),
    "established": ("establish", "created", "set", "launched", "form", "came", "went"),
    "abolished": ("abolish", "abolition", "demise", "ceas", "wound", "dissolved"),
    "renamed": ("renamed", "chang", "formerly"),
    "governance_change": ("governance", "model", "single", "issued"),
    "committee_decision": ("resolved", "agreed", "recommend", "unanimously", "formally",
                           "voted", "approved", "rejected"),
}
# Letters that each literal text of three whole-text searches in lists.py holds (the plural
# heads of lists, the media verbs, the words introducing a firm or group): a document whose
# tokens hold none of a group's keys skips that search. A run of letters is cut into tokens
# only by the tokenizer's special cases, and none cuts a key (tests/test_extract_shortcuts).
PLURAL_HEAD, MEDIA_VERB, INTRO_WORD = 1 << 13, 1 << 14, 1 << 15
SCAN_KEYS: dict[int, tuple[str, ...]] = {
    PLURAL_HEAD: ("CCGs", "CSUs", "Groups", "groups", "Councils", "councils", "ICBs", "ICSs",
                  "Boards", "boards", "Trusts", "trusts", "PCTs", "SHAs"),
    MEDIA_VERB: ("understands", "learn", "seen", "reveal", "reported", "analysis",
                 "investigation", "survey"),
    INTRO_WORD: ("firm", "onsultan", "olicitors", "ccountants", "uditors", "tank", "harity",
                 "group", "nion", "ewspaper", "agazine", "roadcaster", "ebsite", "ournal",
                 "ublisher", "egulator", "nspectorate"),
}
_SCAN_RES = [(bit, re.compile("|".join(map(re.escape, keys)))) for bit, keys in SCAN_KEYS.items()]
_SCAN_MIN = min(len(k) for keys in SCAN_KEYS.values() for k in keys)
_ANY_SCAN_KEY = re.compile("|".join(re.escape(k) for keys in SCAN_KEYS.values() for k in keys))
EVENT_BIT = {kind: 1 << (16 + i) for i, kind in enumerate(EVENT_STEMS)}
TRIGGER = sum(EVENT_BIT.values())
_RATING = {"outstanding", "good", "requires", "inadequate"}
# The words that make a sentence about ratings (figures._RATING_CONTEXT)
_RATED = ("rated", "rating", "cqc", "inspect", "downgrad", "upgrad", "graded", "judged")
# Words of which every organisation-type suffix in orgs.SUFFIX_RE has one ("... NHS Trust",
# "... Clinical Commissioning Group", "... Council", "... Health and Wellbeing Board"): as
# written where the suffix is case-sensitive, in any case where it is not.
_ORG_WORDS = ("Trust", "PCT", "CCG", "Integrated", "ICB", "ICS", "CSU", "Strategic", "SHA",
              "Council", "MBC", "BC", "LINk", "LiNK", "LINK", "Healthwatch", "Centre", "Surgery",
              "Practice", "Network", "PCN", "Enterprise", "Company", "CIC", "University", "LLP",
              "Solicitors")
_ORG_WORDS_ANY_CASE = ("commissioning", "well", "scrutiny", "involvement")
_ALL_STEMS = tuple(s for stems in EVENT_STEMS.values() for s in stems)
_MONTH_DAY_HEADS = {w[:3] for w in _MONTHS | _DAYS}
# The first two characters, in lower case, of every organisation word: a word that starts
# otherwise is none (one set test for most words instead of thirty prefixes).
_ORG_HEADS = frozenset(w[:2].lower() for w in _ORG_WORDS + _ORG_WORDS_ANY_CASE)
# What ``_bits`` looks for: words starting with these, and these words.
_PREFIXES = (*_MONTH_DAY_HEADS, *_ROLE_TAILS, *_ALL_STEMS, *_RATED)
_WORDS = (*_REL, *_ROLE_FIRST, *_ROLE_HEADS, *_RATING, "(", "%", "per")
# Their first three characters (and the prefixes shorter than that): a word that opens
# with a letter (so neither a digit nor a space) and with none of these has no bits.
_HEADS = frozenset(w[:3] for w in _PREFIXES + _WORDS)
_SHORT_PREFIXES = tuple(p for p in _PREFIXES if len(p) < 3)


def classify(word: str) -> int:
    """The anchor bits of one lower-case token."""
    if word[:3] not in _HEADS and word[:1].isalpha() and not word.startswith(_SHORT_PREFIXES):
        return 0   # most words: one set test instead of some twenty
    return _bits(word)


@lru_cache(maxsize=200_000)
def _bits(word: str) -> int:
    """``classify`` without the shortcut (every word or prefix it tests for is in
    ``_PREFIXES`` or ``_WORDS``)."""
    bits = 0
    if word[:1].isdigit():
        bits |= DIGIT
    if word[:3] in _MONTH_DAY_HEADS:   # (most words are neither: one set test)
        alpha = _ALPHA.match(word).group(0)
        if alpha in _MONTHS:   # "October-" can stay one token
            bits |= MONTH
        if alpha in _DAYS:
            bits |= DAY
    if word in _REL:
        bits |= REL
    if word in _ROLE_FIRST:
        bits |= ROLE
    if word in _ROLE_HEADS:
        bits |= ROLE_HEAD
    if word.startswith(_ROLE_TAILS):
        bits |= ROLE_TAIL
    if word.isspace():
        bits |= SPACE
    if word.startswith(_ALL_STEMS):
        for kind, stems in EVENT_STEMS.items():
            if word.startswith(stems):
                bits |= EVENT_BIT[kind]
    if word in _RATING:
        bits |= RATING
    if word.startswith(_RATED):
        bits |= RATED
    if word == "(":
        bits |= PAREN
    if word in ("%", "per"):
        bits |= PERCENT
    return bits


def word_bits(orth: str) -> int:
    """The anchor bits of one word as written."""
    lower = orth.lower()
    bits = classify(lower)
    if lower[:2] in _ORG_HEADS and (orth.startswith(_ORG_WORDS)
                                    or lower.startswith(_ORG_WORDS_ANY_CASE)):
        bits |= ORG_WORD
    if len(orth) >= _SCAN_MIN and _ANY_SCAN_KEY.search(orth):   # (most words: one search)
        for bit, rx in _SCAN_RES:
            if rx.search(orth):
                bits |= bit
    return bits


def install(vocab: Vocab) -> None:
    """Keep each word's anchor bits on its lexeme, in the slot of its shape: spaCy's
    lexemes have no free integer slot and the pipeline never reads shapes. The bits are
    set now for the words already in ``vocab`` and by the tokenizer for each new word, so
    a document's bits are read with ``to_array`` instead of a lookup per word."""
    vocab.lex_attr_getters[SHAPE] = word_bits
    for lex in vocab:
        lex.shape = word_bits(lex.orth_)


class Anchors:
    """Token start offsets (``idx``) and anchor bits (``flags``) of one document."""

    __slots__ = ("idx", "flags", "_reduced", "_all")

    def __init__(self, idx: np.ndarray, flags: np.ndarray):
        self.idx = idx
        self.flags = flags
        self._reduced = None   # (spans, their array, their flags): see spans_with
        self._all = None       # the OR of all flags: see has

    def has(self, bits: int) -> bool:
        """Whether any token's flags share any of ``bits``."""
        if self._all is None:
            self._all = int(np.bitwise_or.reduce(self.flags)) if len(self.flags) else 0
        return bool(self._all & bits)

    @classmethod
    def of(cls, doc: Doc) -> "Anchors":
        hit = doc.user_data.get("nhs_anchors")
        if hit is not None:
            return hit
        if doc.vocab.lex_attr_getters.get(SHAPE) is not word_bits:
            raise ValueError("anchors need a pipeline from build_pipeline (anchors.install)")
        if len(doc) == 0:
            out = cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        else:
            arr = doc.to_array([SHAPE, IDX]).astype(np.int64)
            out = cls(arr[:, 1], arr[:, 0])
        doc.user_data["nhs_anchors"] = out
        return out

    def where(self, bits: int) -> np.ndarray:
        """Token indices whose flags share any of ``bits``."""
        return np.flatnonzero(self.flags & bits)

    def starts(self, bits: int) -> list[int]:
        """Character offsets of the tokens whose flags share any of ``bits``."""
        return self.idx[self.flags & bits != 0].tolist()

    def role_starts(self) -> list[int]:
        """Character offsets of the tokens a role phrase can start at: role first words,
        a head word (``_ROLE_HEADS``) only when the next word (past a whitespace token
        for line breaks and extra spaces) can follow it."""
        f = self.flags
        nxt, after = np.zeros_like(f), np.zeros_like(f)
        nxt[:-1], after[:-2] = f[1:], f[2:]
        tail = (nxt & ROLE_TAIL != 0) | ((nxt & SPACE != 0) & (after & ROLE_TAIL != 0))
        keep = (f & ROLE != 0) & ((f & ROLE_HEAD == 0) | tail)
        return self.idx[keep].tolist()

    def spans_with(self, spans: list[tuple[int, int]], bits: int) -> list[tuple[int, int, int]]:
        """``(start, end, flags)`` of the ``(start, end)`` spans that have a token with any of
        ``bits``; ``flags`` is the OR of the flags of the tokens starting inside the span."""
        if not spans:
            return []
        # The figures and the events ask about the same sentence list: its flags are
        # worked out once (the list is kept, so ``is`` cannot meet a new one at its address).
        hit = self._reduced
        if hit is not None and hit[0] is spans and len(hit[1]) == len(spans):
            arr, red = hit[1], hit[2]
        else:
            flat = np.fromiter(chain.from_iterable(spans), dtype=np.int64,
                               count=2 * len(spans))   # (faster than from the tuples)
            arr = flat.reshape(-1, 2)
            bounds = np.searchsorted(self.idx, flat)
            lo, hi = bounds[0::2], bounds[1::2]
            flags = np.append(self.flags, 0)          # a sentinel: empty spans point at it
            red = np.where(hi > lo, np.bitwise_or.reduceat(flags, bounds)[0::2], 0)
            self._reduced = (spans, arr, red)
        keep = np.flatnonzero(red & bits)
        return list(zip(arr[keep, 0].tolist(), arr[keep, 1].tolist(), red[keep].tolist()))
