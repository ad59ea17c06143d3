"""One error hierarchy for the core; each interface translates it once: the CLI to a
one-line message and an exit code per class (``exit_code``, listed in docs/cli.md), the
API to application/problem+json with ``http_status``."""

from __future__ import annotations


class NhsgraphError(Exception):
    """Base of every error nhsgraph raises on purpose. ``http_status`` guides the API."""

    http_status = 422


class BadInput(NhsgraphError):
    """A value at a boundary is malformed."""


class BadDate(BadInput):
    pass


class BadInterval(BadInput):
    pass


class UnknownPredicate(BadInput):
    pass


class BadValue(BadInput):
    """A statement's value or object does not fit its predicate."""


class MissingCitation(BadInput):
    pass


class UnresolvedReference(BadInput):
    """A statement points at an entity or source that does not exist."""


class NotFound(NhsgraphError):
    http_status = 404

    def __init__(self, message: str, candidates: list[str] | None = None):
        self.candidates = candidates or []
        if self.candidates:
            message += "; closest: " + ", ".join(self.candidates)
        super().__init__(message)


class AmbiguousMatch(NhsgraphError):
    http_status = 409

    def __init__(self, message: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(message + "; candidates: " + ", ".join(candidates))


class BadFile(BadInput):
    """A file given to nhsgraph cannot be read, or holds something malformed: names it."""

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


class BadRow(BadFile):
    """A row of an imported file is malformed: says which file and line."""

    def __init__(self, path: str, line: int, message: str):
        self.path, self.line = path, line
        BadInput.__init__(self, f"{path}:{line}: {message}")


class SpanMismatch(BadInput):
    """A citation's character span no longer matches its quote in the source text."""


class IllegalTransition(BadInput):
    """A process (pipeline) transition that its state machine does not allow."""


class StoreError(NhsgraphError):
    """The database cannot be opened: missing, not a database, or a server out of reach."""

    http_status = 503


class NoDatabase(StoreError):
    """A command that only reads was pointed at a database that does not exist."""


class NotADatabase(StoreError):
    """The file is not a database nhsgraph can read (not SQLite, or damaged)."""


class StoreUnreachable(StoreError):
    """A database server refused the connection or could not be reached."""


class ReadOnlyStore(StoreError):
    """The database can be read but not written (a read-only file or place)."""


class MissingDependency(NhsgraphError):
    """An optional part of nhsgraph is not installed: says which extra to install."""

    http_status = 501


# Exit codes of the command line, one per class of failure (docs/cli.md lists them).
EXIT_OK = 0
EXIT_NOT_FOUND = 1      # no such organisation/person/rule, or the name is ambiguous
EXIT_USAGE = 2          # a malformed argument or option (also click's own usage errors)
EXIT_BAD_FILE = 3       # a file given to read is unreadable or malformed (names file:line)
EXIT_NO_DATABASE = 4    # the database does not exist, is not a database, or is unreachable
EXIT_READ_ONLY = 5      # the database cannot be written
EXIT_MISSING = 6        # an optional dependency is not installed (names the extra)
EXIT_BREACH = 7         # ``check --fail-on breach`` found a breach
EXIT_INTERNAL = 70      # a bug: one line, and NHSGRAPH_DEBUG=1 shows the traceback
EXIT_INTERRUPTED = 130  # interrupted (Ctrl-C); nothing half-written is kept


def exit_code(exc: BaseException) -> int:
    """The command line's exit code for an error."""
    if isinstance(exc, ReadOnlyStore):
        return EXIT_READ_ONLY
    if isinstance(exc, StoreError):
        return EXIT_NO_DATABASE
    if isinstance(exc, MissingDependency):
        return EXIT_MISSING
    if isinstance(exc, (NotFound, AmbiguousMatch)):
        return EXIT_NOT_FOUND
    if isinstance(exc, BadInput):
        return EXIT_BAD_FILE if getattr(exc, "path", None) else EXIT_USAGE
    if isinstance(exc, NhsgraphError):
        return EXIT_USAGE
    return EXIT_INTERNAL
