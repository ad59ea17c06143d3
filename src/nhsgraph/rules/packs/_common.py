"""Findings that rules in several packs reach in the same way.

Rules of different eras sometimes ask the evidence the same question: do the holders of
some board posts also hold a post elsewhere that they may not, and is each post a board
needs held by someone. Which posts, what counts as a clash and the wording stay in the
rule, because they are its statement of the requirement. How the facts are gathered and
how the finding is put together (with the facts it rests on, so it carries their
citations) is written once here, so that rules asking the same question do not drift apart.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from nhsgraph.query.facts import Fact
from nhsgraph.query.snapshot import Snapshot
from nhsgraph.rules.evidence import names, person_posts_on, posts
from nhsgraph.rules.model import BREACH, COMPLIES, INSUFFICIENT, Verdict


class Held(NamedTuple):
    """The holders of a board's required posts: their post facts by the post's label, all
    those facts in the order asked, and the labels of the posts with no recorded holder."""

    by_post: dict[str, list[Fact]]
    facts: list[Fact]
    missing: list[str]


def required_posts(snap: Snapshot, org: str, need: dict[str, tuple[str, ...]]) -> Held:
    """Who holds each post in ``need`` (a label, and the roles any of which fills it).

    Example: required_posts(snap, org, {"chair": ("chair",), "finance director": FINANCE_ROLES})
    """
    by_post = {label: posts(snap, org, *roles) for label, roles in need.items()}
    return Held(by_post, [f for fs in by_post.values() for f in fs],
                [label for label, fs in by_post.items() if not fs])


def no_holder(missing: list[str]) -> str:
    """The reason given when required posts have no recorded holder."""
    return f"no holder recorded for {', '.join(missing)}."


def posts_elsewhere(snap: Snapshot, org: str, roles: tuple[str, ...],
                    clashes: Callable[[Fact], bool], *, none: str, also: str,
                    clear: str) -> Verdict:
    """Whether anyone holding one of ``roles`` at ``org`` also holds a post that ``clashes``.

    The breach names the people and where they also sit, and rests on each post here paired
    with the post it clashes with. ``none`` is the reason when no one holds ``roles``,
    ``also`` the verb phrase between the two, ``clear`` the reason when no post clashes.

    Example: posts_elsewhere(snap, org, ("lay_member",), lambda g: ..., none="no lay members
    are recorded.", also="also holds a post at", clear="no recorded lay member holds an
    excluded post.")
    """
    mine = posts(snap, org, *roles)
    if not mine:
        return Verdict(INSUFFICIENT, none)
    pairs: list[Fact] = []
    for f in mine:
        for g in person_posts_on(snap, f.subject):
            if clashes(g):
                pairs += [f, g]
    if pairs:
        return Verdict(BREACH, f"{names(pairs)} {also} {names(pairs[1::2], 'object')}.", pairs)
    return Verdict(COMPLIES, clear, mine)
