"""nhsgraph: a temporal, evidence-backed registry of English NHS organisations and governance.

The short public surface: open a store, ask it questions as at a date.

    from nhsgraph import Store, Snapshot, resolve
    store = Store.open("registry.db")
    with store.reader() as conn:
        view = Snapshot.of(conn, "2011-11-29").entity(resolve(conn, "NHS Wiltshire").id)
"""

from nhsgraph.errors import NhsgraphError
from nhsgraph.query import Snapshot, conflicts, landscape, lineage, resolve, timeline
from nhsgraph.store import Store

__all__ = ["NhsgraphError", "Snapshot", "Store", "conflicts", "landscape", "lineage", "resolve",
           "timeline"]
