"""Shortcuts for common cases must give what the full computation gives."""

import re

from conftest import need_seeds
from nhsgraph.extract import anchors as an
from nhsgraph.extract import gazetteer as gz
from nhsgraph.extract.gazetteer import Gazetteer, key


def _words():
    """Every word and prefix the anchors look for, as written and varied, odd words
    (digits, spaces, symbols, accents) and every word of the seeds."""
    looked_for = [*an._MONTHS, *an._DAYS, *an._REL, *an._ROLE_FIRST, *an._ROLE_HEADS,
                  *an._ROLE_TAILS, *an._ALL_STEMS, *an._RATING, *an._RATED, *an._ORG_WORDS,
                  *an._ORG_WORDS_ANY_CASE, "(", "%", "per"]
    words = set()
    for w in looked_for:
        for v in (w, w + "s", w + "-", w[:1], w[:2], w[:3], w[1:], "x" + w, w.upper(),
                  w.title(), w.capitalize()):
            words.add(v)
    words |= {"", " ", "\n", "  ", "\t\n", "\xa0", "2012", "1st", "²", "(", ")", "%", "£5m",
              "é", "éte", "Ünion", "İstanbul", "'s", "-", "October-", "Sept."}
    for p in sorted(need_seeds().glob("*.txt")):
        words |= set(re.findall(r"\S+", p.read_text(encoding="utf-8")))
    return sorted(words)


def test_classify_shortcut_gives_the_full_bits():
    for w in _words():
        low = w.lower()
        assert an.classify(low) == an._bits(low), w


def test_org_word_shortcut_gives_the_full_test():
    for w in _words():
        full = w.startswith(an._ORG_WORDS) or w.lower().startswith(an._ORG_WORDS_ANY_CASE)
        assert bool(an.word_bits(w) & an.ORG_WORD) == full, w



def test_key_shortcut_gives_the_full_key():
    names = [f for f, _ in Gazetteer.national().forms()]
    for text in _words() + names + [" ".join(names), "A  B", " Upton  NHS Trust ", "NHS\tX",
                                    "St Mary's", "B&NES", "Upton_Trust", "ÉCOLE", "Straße 1"]:
        assert key(text) == gz._full_key(text), text

