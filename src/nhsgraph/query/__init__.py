"""Questions asked of the store: resolve, snapshot, lineage, landscape, timeline, conflicts, search."""

from nhsgraph.query.conflicts import Conflict, ConflictReport, conflict_report, conflicts
from nhsgraph.query.facts import Citation, Fact, labels
from nhsgraph.query.landscape import Landscape, landscape
from nhsgraph.query.lineage import Lineage, lineage
from nhsgraph.query.resolve import Match, candidates, resolve
from nhsgraph.query.search import search_documents, search_entities
from nhsgraph.query.snapshot import EntityView, Snapshot, person_posts
from nhsgraph.query.timeline import event_dates, timeline

__all__ = ["Citation", "Conflict", "ConflictReport", "conflict_report", "EntityView", "Fact", "Landscape", "Lineage", "Match",
           "Snapshot", "candidates", "conflicts", "event_dates", "labels", "landscape", "lineage",
           "person_posts", "resolve", "search_documents", "search_entities", "timeline"]
