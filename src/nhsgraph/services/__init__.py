"""Services: ingest (documents -> proposed statements), review (accept / reject), exports
(the answer every open export format renders)."""
