"""Pure text -> mentions: organisations, people with roles, dates, figures, events, minutes.

Public surface::

    extract_document(text, doc_name, gazetteer=None, doc_date=None) -> dict
    analyse_document(text, doc_name, gazetteer=None, doc_date=None, metadata=None)
        -> ExtractionResult
    extract_batch(items, gazetteer=None, workers=1) -> list[dict]
    extract_files(paths, jsonl=False, workers=1) -> iterator of (path, result | FileError)
    read_document(path, max_bytes=...) -> (text, metadata)
    Gazetteer, OrgRecord, registry_role
"""

from nhsgraph.extract.api import (ExtractionResult, FileError, analyse_document, analyse_many,
                                  extract_batch, extract_document, extract_files)
from nhsgraph.extract.gazetteer import Gazetteer, OrgRecord
from nhsgraph.extract.readers import UnreadableDocument, read_bytes, read_document
from nhsgraph.extract.roles import registry_role

__all__ = ["ExtractionResult", "FileError", "Gazetteer", "OrgRecord", "UnreadableDocument",
           "analyse_document", "analyse_many", "extract_batch", "extract_document",
           "extract_files", "read_bytes", "read_document", "registry_role"]
