"""Open exports: the registry as at a date, written in the formats other tools read.

One module per format; each renders a ``services.exports.Export`` and nothing more:

- ``csv``: the tidy table, one row per fact (``tidycsv``);
- ``popolo``: Popolo JSON: organizations, persons, posts, memberships (``popolo``);
- ``jsonld``: W3C ORG + OWL-Time + PROV as JSON-LD, written with rdflib (``jsonld``);
- ``graphml``: bodies and their links, written with networkx (``graphml``);
- ``parquet``: the tidy table with typed columns, written with pyarrow (``parquet``);
- ``datasette-metadata``: a Datasette ``metadata.json`` for the SQLite file (``datasette``).
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from nhsgraph.errors import BadInput, MissingDependency

# format -> (module, the third-party packages it needs, from the "export" extra)
FORMATS = {
    "csv": ("tidycsv", ()),
    "popolo": ("popolo", ()),
    "jsonld": ("jsonld", ("rdflib",)),
    "graphml": ("graphml", ("networkx",)),
    "parquet": ("parquet", ("pyarrow",)),
}
STORE_FORMATS = {"datasette-metadata": ("datasette", ())}   # written from the store itself


def writer(fmt: str):
    """The module that writes ``fmt`` (its ``write(export, path, progress)``); an unknown
    format or a missing package is refused with what to do."""
    spec = FORMATS.get(fmt) or STORE_FORMATS.get(fmt)
    if spec is None:
        raise BadInput(f"--format: unknown export format {fmt!r}; known: "
                       f"{', '.join([*FORMATS, *STORE_FORMATS])}")
    module, needs = spec
    missing = [m for m in needs if find_spec(m) is None]
    if missing:
        raise MissingDependency(f"--format {fmt} needs {', '.join(missing)}, which is not "
                                f'installed: pip install "nhsgraph[export]"')
    return importlib.import_module(f"nhsgraph.export.{module}")


def check_out(path: Path) -> Path:
    """An output path whose folder exists (a clear error rather than the OS's)."""
    path = Path(path)
    if path.is_dir():
        raise BadInput(f"--out: {path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise BadInput(f"--out: no folder {path.parent}")
    return path


@lru_cache(maxsize=1 << 18)
def iri(id: str, kind: str = "") -> str:
    """A stable IRI for an nhsgraph id (``urn:nhsgraph:ods:5AA``), for the formats that
    need one; ``kind`` names a namespace apart from entities (``source``, ``role``...)."""
    from urllib.parse import quote

    return "urn:nhsgraph:" + (kind + ":" if kind else "") + quote(id, safe=":-._~/")


def write(fmt: str, data, path: Path, progress=None, **options) -> int:
    """Write ``data`` (an Export, or a store connection for the store formats) as ``fmt``
    to ``path``, through a temporary file beside it: a failed export leaves no half file.
    Returns the count the format's writer reports (rows, triples, edges...)."""
    import os

    module = writer(fmt)
    path = check_out(path)
    part = path.with_name(f".{path.name}.part")
    try:
        n = module.write(data, part, progress, **options)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return n
