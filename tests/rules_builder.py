"""Build small registries for rule tests with the store writer: entities, statements and
one test source. Facts are tuples: (subject, predicate, object, value, from, to, qualifiers)."""

from __future__ import annotations

from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

SRC = "src:rules-test"


def kind_of(id_: str) -> str:
    return {"person": "person", "event": "event"}.get(id_.split(":")[0], "organisation")


def build(store, facts):
    with store.writer() as w:
        w.ensure_source(SourceIn(id=SRC, title="Rules test scenario", kind="web"))
        for f in facts:
            s, p, o, v, a, b, q = (list(f) + [None] * 7)[:7]
            w.ensure_entity(s, kind_of(s))
            if o:
                w.ensure_entity(o, kind_of(o))
            w.add(StatementIn(subject=s, predicate=p, object=o, value=v, valid_from=a, valid_to=b,
                              qualifiers=q or {}, citations=(CitationIn(SRC, "curated",
                                                                        locator="test"),)))


def org(id_, type_, name=None, start="2000-01-01", end=None):
    return [(id_, "org_type", None, type_, start, end), (id_, "name", None, name or id_, start, end)]


def post(person, org_, role, start="2000-01-01", end=None, **q):
    return [(person, "post", org_, None, start, end, {"role": role, **q})]


def decision(body, about, kind, start, **extra):
    return [(body, "decision", about, {"kind": kind, **extra}, start)]


def stage(org_, process, stage_, start, decider=None):
    return [(org_, "application_stage", decider, {"process": process, "stage": stage_}, start)]
