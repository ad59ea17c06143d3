"""The ``nhsgraph`` command: thin commands over the library, one Typer app.

Every command opens the store named by ``--db`` (or $NHSGRAPH_DB), calls one library
function and renders the result as a table or, with ``--json``, as JSON. Core errors
become a one-line message and exit code 1. Command modules are registered here, statically.
"""

from nhsgraph.cli import core_cmds  # noqa: F401  (registers its commands)
from nhsgraph.cli import data_cmds  # noqa: F401
from nhsgraph.cli import docs_cmds  # noqa: F401
from nhsgraph.cli import export_cmds  # noqa: F401
from nhsgraph.cli import import_cmds  # noqa: F401
from nhsgraph.cli import rules_cmds  # noqa: F401
from nhsgraph.cli.base import app

__all__ = ["app", "main"]


def main() -> None:
    app()
