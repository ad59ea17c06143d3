"""Every curated fact uses the closed vocabulary: predicate, domain/range kinds, org types,
roles, structured values, required qualifiers; every id and source is declared."""

from __future__ import annotations

from pathlib import Path

import yaml

from nhsgraph.model.predicates import PREDICATES, ROLES, normalise_value

DATA = Path(__file__).parents[1] / "src" / "nhsgraph" / "data"


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _fact_files():
    return sorted(p for p in DATA.rglob("*.yaml") if p.name not in ("entities.yaml", "sources.yaml"))


def test_curated_facts_fit_vocabulary():
    entities = {e["id"]: e["kind"] for e in _load(DATA / "entities.yaml")["entities"]}
    sources = {s["id"] for s in _load(DATA / "sources.yaml")["sources"]}
    for path in _fact_files():
        doc = _load(path)
        if "source" in doc:
            sources.add(doc["source"]["id"])
        # any file may declare its own entities and sources (the loader reads them all)
        entities.update({e["id"]: e["kind"] for e in doc.get("entities") or []})
        sources.update(s["id"] for s in doc.get("sources") or [])
    errors = []
    for path in _fact_files():
        doc = _load(path)
        for fact in doc.get("facts") or []:
            where = f"{path.name}: {fact['s']} {fact['p']}"
            pred = PREDICATES.get(fact["p"])
            if pred is None:
                errors.append(f"{where}: unknown predicate"); continue
            kind = entities.get(fact["s"])
            if kind not in pred.domain:
                errors.append(f"{where}: subject kind {kind}")
            obj = fact.get("o")
            if obj is not None:
                okind = entities.get(obj) or ("source" if obj in sources else None)
                if okind is None or (pred.range and okind not in pred.range):
                    errors.append(f"{where}: bad object {obj}")
            elif pred.object == "required":
                errors.append(f"{where}: object required")
            if pred.value_type != "entity":
                try:
                    normalise_value(pred, fact.get("v"))
                except Exception as exc:  # noqa: BLE001 - report every bad value
                    errors.append(f"{where}: {exc}")
            q = fact.get("q") or {}
            errors += [f"{where}: missing qualifier {r}" for r in pred.required_qualifiers if r not in q]
            if fact["p"] == "post" and q.get("role") not in ROLES:
                errors.append(f"{where}: unknown role {q.get('role')}")
            cites = fact.get("cite")
            cites = cites if isinstance(cites, list) else [cites]
            for cite in cites:
                if not cite or not cite.get("quote"):
                    errors.append(f"{where}: missing citation")
                elif "at" not in cite and cite.get("source") not in sources:
                    errors.append(f"{where}: unknown source {cite.get('source')}")
    assert not errors, "\n".join(errors[:50])


def test_entities_declared_once():
    ids = [e["id"] for e in _load(DATA / "entities.yaml")["entities"]]
    assert len(ids) == len(set(ids))
