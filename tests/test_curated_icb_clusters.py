"""ICB clusters of 2025-26 and the ICB mergers announced for 1 April 2027, as curated in
src/nhsgraph/data/background/icb_clusters_2025.yaml. Each count names its source."""

from __future__ import annotations

from nhsgraph.extract.gazetteer import schema_type, type_family
from nhsgraph.model.predicates import ORG_TYPES, normalise_value, predicate
from nhsgraph.rules.evidence import COMMISSIONER_TYPES


# -- the org type ------------------------------------------------------------------------
def test_icb_cluster_is_an_org_type_of_the_icb_family():
    assert "icb_cluster" in ORG_TYPES
    assert normalise_value(predicate("org_type"), "icb_cluster") == "icb_cluster"
    # a cluster is named like the ICBs it leads; the extraction schema reads it as an ICB
    assert type_family("icb_cluster") == type_family("icb")
    assert schema_type("icb_cluster") == "icb"
    assert "icb_cluster" in COMMISSIONER_TYPES
