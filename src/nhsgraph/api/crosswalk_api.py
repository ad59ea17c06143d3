"""Where codes of one date go among the bodies of a type on another: /api/crosswalk renders
``services.crosswalk.code_map_data``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from nhsgraph.api.changes_api import From, To
from nhsgraph.asgi.deps import Conn
from nhsgraph.asgi.http import json_response
from nhsgraph.api.read import ok

router = APIRouter(prefix="/api", tags=["crosswalk"])


@router.get("/crosswalk", summary="Re-key codes of one date to the bodies of another",
            description="Each code (valid on `from`) followed through successions and "
                        "memberships to the bodies of `type` on `to`: its targets with their "
                        "share, the chain of codes, the kind of each step and the weight "
                        "used. Codes it cannot map are listed with the reason.",
            responses=ok({"from": "2019-04-01", "to": "2019-04-01", "type": "ccg",
                          "weight": "equal", "unmapped": [],
                          "codes": [{"code": "01A", "id": "ods:01A", "reason": None,
                                     "mapped": [{"id": "ods:03C", "code": "03C",
                                                 "name": "NHS Northshire CCG", "share": 1.0,
                                                 "chain": ["01A", "03C"], "kinds": ["merge"],
                                                 "weight": "whole",
                                                 "how": "01A -merge-> 03C ×1 (whole)"}]}]}))
def get_crosswalk(request: Request, conn: Conn,
                  codes: Annotated[str, Query(min_length=1, max_length=20000,
                                              pattern=r"^[A-Za-z0-9]{1,12}(,[A-Za-z0-9]{1,12})*$",
                                              description="Comma-separated ODS codes.",
                                              examples=["01A,02B"])],
                  from_: From, to: To,
                  type: Annotated[str, Query(max_length=40, examples=["ccg"],
                                             description="The type of body to re-key to.")],
                  weight: Annotated[Literal["equal", "postcode", "practices", "population",
                                            "lsoa"], Query(description="How splits share out; "
                                                           "lsoa: LSOA overlap between the "
                                                           "ONS lookups nearest `from` and "
                                                           "`to` (each target names both); "
                                                           "population is not held: 422.")
                  ] = "equal",
                  fallback: Annotated[bool, Query(description="Share equally where the "
                                                  "weight is not held.")] = False):
    from nhsgraph.services.crosswalk import code_map_data

    return json_response(request, code_map_data(conn, codes.split(","), from_, to, type,
                                                weight, fallback))
