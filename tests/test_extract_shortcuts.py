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



# Invented snippets for the pattern shortcuts below (what each shortcut skips, and what it
# must not skip: cases, other scripts, odd spacing).
_SNIPPETS = [
    "", " ", "Upton NHS Trust", "the board met at the Upton Surgery", "AT Upton Surgery",
    "Speaking outside  Upton House", "held inside the\nUpton Centre", "near Upton", "Nearby",
    "around the Upton Hub", "at", "that Upton", "ınside Upton", "Kelvin at  the Upton",
    "Jane Roe Chief Executive Upton NHS Trust", "Vice Chair Upton", "Cllr Roe Upton",
    "Director of Upton", "Chiefly Upton", "Leaders Upton", "Secretary", "Chair",
    "costs rose 5 per cent", "5 PER CENT", "3 Per\tcent", "7%", "12 percent", "recent 2012",
    "centre 45", "£5m", "$3 billion", "€40 per head", "£ 1,200", "no money 100",
    "Dr Jane Roe chair of Upton", "Dr. Roe", "Sir Tom Hale", "Dame Ann Lee", "Professor X",
    "DrX Dr Dr  Dr", "Prof Prof", "could", "It Would", "if", "WHETHER", "proposal",
    "The Board agreed", "HEADING IN CAPITALS", "# heading", "2012 ANNUAL REPORT", "1. A B",
    "Lists:\n- one\n- two", "line ending in a colon: \nnext", "no colon here", "a:b",
]


def test_percent_and_money_shortcuts_give_the_full_search():
    from nhsgraph.extract import figures as fig
    for text in _SNIPPETS + [" ".join(_SNIPPETS)]:
        assert fig.find_percentages(text) == [
            fig.Figure(m.start(), m.end(), m.group(0), "percent", float(m.group("num")),
                       "percent") for m in fig.PERCENT_RE.finditer(text)], text
        assert [f.start for f in fig.find_money(text)] == [
            m.start() for m in fig.MONEY_RE.finditer(text)], text


def test_venue_and_title_shortcuts_give_the_full_search():
    from nhsgraph.extract import people as pe
    for text in _SNIPPETS:
        for start in range(len(text) + 1):
            assert pe._after_a_venue_word(text, start) == bool(pe._VENUE_BEFORE.search(
                text, max(0, start - 12), start)), (text, start)
    for text in _SNIPPETS + [" ".join(_SNIPPETS)]:
        finds = sorted(i for w in pe._TITLE_WORDS for i in pe._all_finds(text, w))
        assert [m.start() for m in pe._TITLE_AT.finditer(text)] == finds, text


def test_role_in_name_and_modal_shortcuts_give_the_full_search():
    from nhsgraph.extract import events as ev
    from nhsgraph.extract import orgs as og
    for text in _SNIPPETS + _words():
        if og._ROLE_IN_NAME.search(text):
            assert og._may_hold_a_role(text), text
        low = text.lower()
        assert ev._has_a_modal_word(low) == any(w in low for w in ev._MODAL_WORDS), text
    for w in ev._MODAL_WORDS:
        assert ev._has_a_modal_word(f"it {w} be")


def test_heading_and_colon_shortcuts_give_the_full_reading():
    import re as _re

    from nhsgraph.extract import events as ev
    words = _re.compile(r"[^\s#*_]+")

    def full_heading(sent):
        if sent.lstrip().startswith("#"):
            return True
        n = 0
        for m in words.finditer(sent):
            w = m.group()
            if any(c.isalpha() for c in w):
                if w[0].isalpha() and not w.isupper():
                    return False
                n += 1
        return n >= 2
    for text in _SNIPPETS + _words():
        assert ev._is_heading(text) == full_heading(text), text
        if ev._COLON_LINE.search(text):
            assert ev._COLON_AT_END.search(text), text


def test_mention_spans_are_char_spans():
    from nhsgraph.extract.pipeline import build_pipeline
    nlp = build_pipeline()
    text = ("  Upton NHS Trust said on Monday that the CQC and NHS England (NHSE) had met.\n\n"
            "Downton CCG,  Upshire County Council and the trust's board agreed. ")
    doc = nlp(text)
    mentions = doc.user_data["nhs_orgs"]
    assert mentions
    want = [doc.char_span(m.start, m.end, label=m.org_type, kb_id=m.name,
                          alignment_mode="expand") for m in mentions]
    got = list(doc.spans["orgs"])
    assert [(s.start, s.end, s.label_, s.kb_id_) for s in got] == [
        (s.start, s.end, s.label_, s.kb_id_) for s in want if s is not None]


def test_scan_keys_cover_the_literals_they_gate():
    from nhsgraph.extract import lists
    groups = {an.PLURAL_HEAD: lists._HEAD_LITERALS[id(lists.PLURAL_HEAD_RE)],
              an.MEDIA_VERB: lists._HEAD_LITERALS[id(lists.VERB_ONLY_RE)],
              an.INTRO_WORD: lists._INTRO_WORDS}
    assert set(groups) == set(an.SCAN_KEYS)
    for bit, literals in groups.items():
        keys = an.SCAN_KEYS[bit]
        assert all(k.isascii() and k.isalpha() for k in keys)
        for lit in literals:
            assert any(k in lit for k in keys), lit
    # the heads PLURAL_HEAD_RE can match are its literals (the search starts only there)
    for head in lists._PLURAL_HEADS:
        assert any(head.startswith(lit) for lit in groups[an.PLURAL_HEAD]), head


def test_no_special_case_cuts_a_scan_key():
    """A key found in a text lies inside one token: runs of letters are cut only by the
    tokenizer's special cases ("cannot" -> "can", "not"), and none of those cuts a key."""
    from nhsgraph.extract.pipeline import build_pipeline
    rules = build_pipeline().tokenizer.rules
    keys = [k for ks in an.SCAN_KEYS.values() for k in ks]
    for chunk, pieces in rules.items():
        cuts, pos = set(), 0
        for piece in pieces[:-1]:
            pos += len(piece[65] if 65 in piece else piece.get("ORTH", ""))
            cuts.add(pos)
        for k in keys:
            i = chunk.find(k)
            while i >= 0:
                assert not any(i < c < i + len(k) for c in cuts), (chunk, k)
                i = chunk.find(k, i + 1)


def test_scan_gates_give_the_full_search():
    from nhsgraph.extract import lists
    from nhsgraph.extract.anchors import Anchors
    from nhsgraph.extract.pipeline import build_pipeline
    nlp = build_pipeline()
    texts = ["The Upton, Downton and Marsh CCGs met.", "Upton and Downton PCTs", "no heads here",
             "CCGs: Upton, Downton and Marsh", "the four Upshire CCGs - Upton, Downton and Leigh",
             "Upton Gazette understands that the trust will merge.", "Upton Echo revealed it",
             "law firm Hempsons said", "management consultancy Carver Ltd", "think tank Civitas",
             "the charity Upton Cares", "union Unison said", "opinion Upton", "the website Upton",
             "xCCGs Upton and Downton PCTs", "Upton Herald has learnt that", "nothing at all"]
    for text in texts + [" ".join(texts)]:
        doc = nlp.make_doc(text)
        a = Anchors.of(doc)
        assert lists.list_mentions(text, [], None, a) == lists.list_mentions(text, []), text
        assert lists.outside_mentions(text, [], a) == lists.outside_mentions(text, []), text
