"""The rule packs, one module per era; importing this package registers every rule."""

from nhsgraph.rules.packs import (ccgs, cqc_ratings, ft_pipeline, icbs, pct_boards,  # noqa: F401
                                  pct_clusters, trust_boards)

PACKS = ("pct_boards", "pct_clusters", "trust_boards", "ft_pipeline", "ccgs", "cqc_ratings", "icbs")
