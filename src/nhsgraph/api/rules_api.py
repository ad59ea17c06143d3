"""Read endpoints over the rules layer: the encoded governance rules, an organisation's
findings on a date, and its path through a process (pipeline)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from nhsgraph.api.read import FACT_EX, Ref, ok
from nhsgraph.asgi.deps import DATE_PATTERN, Conn, KnownAt, Limit, Offset
from nhsgraph.asgi.http import json_response, page
from nhsgraph.services import views as data

router = APIRouter(prefix="/api", tags=["rules"])

RULE_EX = {"id": "CLUSTER-MODEL2-PRINCIPLES",
           "title": "Model 2 principles by 1 December 2011 unless the SHA agrees an exception",
           "pack": "pct_clusters", "in_force_from": "2011-09-29", "in_force_to": "2013-04-01",
           "in_force": "2011-09-29 → 2013-04-01", "applies_to": ["pct_cluster"],
           "source": "src:easton-letter-2011", "source_title": "Letter from Sir David Nicholson …",
           "locator": "letter of 2011-09-29, Gateway 16713", "status": "S",
           "status_meaning": "stated in a seed document", "severity": "error",
           "explanation": "By 1 December 2011 … every PCT cluster has a single board …: {reason}",
           "text": "By 1 December 2011 … every PCT cluster has a single board ….", "note": None,
           "links": {"self": "/api/rules/CLUSTER-MODEL2-PRINCIPLES",
                     "source": "/api/sources/src:easton-letter-2011"}}
FINDING_EX = {"rule_id": "PCT-BOARD-CHAIR-NONEXEC",
              "rule_title": "A PCT's chair is a single non-officer member",
              "pack": "pct_boards", "org": "ods:5AA", "org_name": "NHS Alpha",
              "date": "2012-01-15", "outcome": "complies", "outcome_label": "Complies",
              "severity": "info",
              "explanation": "A PCT's chair is a single non-officer member: Ann Example chairs it.",
              "source": "src:si-2000-89", "source_title": "SI 2000/89", "details": {},
              "facts": [FACT_EX],
              "links": {"rule": "/api/rules/PCT-BOARD-CHAIR-NONEXEC",
                        "source": "/api/sources/src:si-2000-89"}}
STEP_EX = {"process": "ft_application", "stage": "not_to_proceed", "recorded_as": "halted",
           "date": "2012-10", "decider": "Department of Health", "decider_id": "org:dh",
           "allowed": True, "how": "allowed", "rule": "FTP-COMMISSIONER-SUPPORT",
           "statement": 812,
           "citations": [{"source_id": "src:hsj-ccs-ft-bid-halted-2012",
                          "source_title": "CCG objection stops … foundation trust bid",
                          "span": [326, 352], "quote": "it cannot proceed as an FT",
                          "anchor": "span-326-352"}]}

RuleId = Annotated[str, Path(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_-]+$",
                             description="A rule id.", examples=["CLUSTER-MODEL2-PRINCIPLES"])]
Pack = Annotated[str | None, Query(max_length=40, pattern=r"^[a-z0-9_]+$",
                                   description="Only rules of this pack (era), e.g. "
                                               "pct_clusters, trust_boards, icbs.",
                                   examples=["pct_clusters"])]
InForce = Annotated[str | None, Query(max_length=10, pattern=DATE_PATTERN,
                                      description="Only rules in force on this date.",
                                      examples=["2011-12-02"])]


@router.get("/rules", summary="The encoded governance rules",
            description="Every rule as code: id, title, pack (era), dates in force "
                        "`[from, to)`, organisation types it applies to, status (C confirmed, "
                        "S stated in a seed, P partly confirmed), severity, source and the "
                        "rule text. Filter by `pack` (or its synonym `era`), by `at` (in force "
                        "on a date) and by `applies_to` (an organisation type). Paginated.",
            responses=ok({"total": 1, "limit": 50, "offset": 0,
                          "links": {"self": "/api/rules?pack=pct_clusters&limit=50&offset=0"},
                          "packs": ["pct_boards", "pct_clusters"], "items": [RULE_EX]}))
def get_rules(request: Request, conn: Conn, pack: Pack = None,
              era: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z0-9_]+$",
                                               description="Synonym of `pack`.",
                                               examples=["trust_boards"])] = None,
              at: InForce = None,
              applies_to: Annotated[str | None, Query(max_length=40, examples=["pct_cluster"],
                                                      description="Only rules applying to "
                                                                  "this organisation type.")] = None,
              limit: Limit = 50, offset: Offset = 0):
    rules = data.rules_data(conn, pack or era, at, applies_to)
    body, headers = page(request, rules[offset:offset + limit], len(rules), limit, offset)
    return json_response(request, {**body, "packs": data.rule_packs()}, headers)


@router.get("/rules/{rule_id}", summary="One governance rule",
            description="A rule's metadata and text; an unknown id is 404 (problem+json, "
                        "with close ids as `candidates`).",
            responses=ok(RULE_EX))
def get_rule(request: Request, conn: Conn, rule_id: RuleId):
    return json_response(request, data.rule_data(conn, rule_id))


@router.get("/entities/{ref}/check", summary="Check an organisation against the rules on a date",
            description="Runs every rule in force on `at` that applies to the organisation's "
                        "type(s) then (or only `rule`). Each finding has an outcome "
                        "(`complies`, `breach`, `insufficient_evidence`: a fact not held is not "
                        "a fact that is false; `not_applicable`), a plain-English explanation, "
                        "a severity, and the facts relied on, each with its citations.",
            responses=ok({"id": "ods:5AA", "name": "NHS Alpha", "at": "2012-01-15",
                          "rule": None, "counts": {"complies": 1, "breach": 0,
                                                   "insufficient_evidence": 0,
                                                   "not_applicable": 0},
                          "findings": [FINDING_EX]}))
def get_check(request: Request, conn: Conn, ref: Ref,
              at: Annotated[str, Query(max_length=10, pattern=DATE_PATTERN,
                                       description="The date to check on (YYYY[-MM[-DD]]).",
                                       examples=["2011-12-02"])],
              rule: Annotated[str | None, Query(max_length=80, pattern=r"^[A-Za-z0-9_-]+$",
                                                description="Check this rule only.",
                                                examples=["CLUSTER-MODEL2-PRINCIPLES"])] = None,
              known_at: KnownAt = None):
    return json_response(request, data.check_data(conn, ref, at, rule, known_at))


@router.get("/entities/{ref}/pipeline", summary="An organisation's path through a process",
            description="The recorded stages (e.g. of a foundation trust application or a PCT "
                        "cluster), in order, each with its date, the deciding body, whether the "
                        "transition into it was allowed (`how`: start, allowed, repeat, gap = "
                        "allowed with unrecorded stages between, illegal, unknown_state) and "
                        "the rule it derives from. `process` limits it to one process.",
            responses=ok({"id": "ods:RYV", "name": "Cambridgeshire Community Services NHS Trust",
                          "process": "ft_application",
                          "processes": [{"name": "ft_application",
                                         "title": "Foundation trust application"}],
                          "steps": [STEP_EX]}))
def get_pipeline(request: Request, conn: Conn, ref: Ref,
                 process: Annotated[str | None, Query(max_length=40, examples=["ft_application"],
                                                     description="Only this process: "
                                                                 "ft_application, aft, "
                                                                 "pct_cluster, ccg_authorisation, "
                                                                 "cqc_rating or icb.")] = None,
                 known_at: KnownAt = None):
    return json_response(request, data.pipeline_data(conn, ref, process, known_at))
