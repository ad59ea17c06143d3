"""Markdown with highlights: marking a cited span never changes how the document reads.
Rendering with marks, then taking the marks out, gives the same HTML as rendering the
text alone, on tricky places written here and on the seed documents."""

from __future__ import annotations

import random
import re

import pytest

from conftest import need_seeds
from nhsgraph.web.highlight import segments
from nhsgraph.web.markdown import render_highlighted, render_markdown

MARKS = re.compile(r'<mark class="app-mark[^"]*" title="[^"]*"><a href="#st-\d+">|</a></mark>'
                   r'|<span id="span-\d+-\d+" class="app-anchor"></span>')

TRICKY = ("Title\n=====\n\nA line with a hard break  \nand more.\n\n- first item\n- second item\n\n"
          "**bold words** and *slanted* text, Q&amp;A, <https://example.org/x> and "
          "[a link](https://example.org/y).\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")


def unmarked(text: str, spans) -> str:
    return MARKS.sub("", str(render_highlighted(segments(text, spans))))


@pytest.mark.parametrize("where", ["=====", "  \nand", "- second", "**bold", "amp;", "example.org/x",
                                   "example.org/y", "---\n\n|", "|---|", "\n\n- first", "Title"])
def test_a_span_starting_or_ending_at_markup_keeps_the_structure(where):
    at = TRICKY.index(where) + 1
    for a, b in ((at, at + 6), (max(0, at - 6), at), (at - 1, at + 1)):
        assert unmarked(TRICKY, [(a, b, 1)]) == str(render_markdown(TRICKY)), (where, a, b)


def test_word_spans_on_the_seed_documents_keep_the_structure():
    rnd = random.Random(1)
    texts = [p.read_text(encoding="utf-8") for p in sorted(need_seeds().glob("*.txt"))]
    assert texts
    for text in texts:
        want = str(render_markdown(text))
        words = [m.span() for m in re.finditer(r"\w+(?:[ ’'-]\w+){0,4}", text)]
        for _ in range(40):
            spans = [(a, b, i + 1) for i, (a, b) in enumerate(rnd.sample(words, 25))]
            assert unmarked(text, spans) == want


def test_a_span_across_paragraphs_is_marked_in_each_and_nests():
    text = "First paragraph ends here.\n\nSecond one starts **here** and goes on."
    html = str(render_highlighted(segments(text, [(16, 50, 3)])))   # into the bold
    assert html.count('<mark class="app-mark"') >= 3
    # every <mark> closes inside the element it opened in
    for block in re.findall(r"<p>(.*?)</p>", html):
        assert block.count("<mark") == block.count("</mark>")
