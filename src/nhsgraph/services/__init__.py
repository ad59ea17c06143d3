"""Services: ingest (documents -> proposed statements) and review (accept / reject)."""
