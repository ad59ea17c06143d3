"""nhsgraph: a temporal, evidence-backed registry of English NHS organisations and governance.

The short public surface: open a store, ask it questions as at a date.

    from nhsgraph import Store, Snapshot, resolve
    store = Store.open("registry.db")
    with store.reader() as conn:
        view = Snapshot.of(conn, "2011-11-29").entity(resolve(conn, "NHS Wiltshire").id)
        merged = changes(conn, "2020-04-01", "2020-04-01", kinds=["merge"])
        table = crosswalk_file(conn, "ccg19.csv", "2019-04-01", "2020-04-01", "ccg")
"""

from nhsgraph.errors import NhsgraphError
from nhsgraph.query import Snapshot, conflicts, landscape, lineage, resolve, timeline
from nhsgraph.query.changes import changes
from nhsgraph.services.crosswalk import code_map, crosswalk_file
from nhsgraph.store import Store

__all__ = ["NhsgraphError", "Snapshot", "Store", "changes", "code_map", "conflicts",
           "crosswalk_file", "landscape", "lineage", "resolve", "timeline"]
