"""One error hierarchy for the core; each interface translates it once (CLI exit 1, API problem+json)."""

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


class BadRow(BadInput):
    """A row of an imported file is malformed: says which file and line."""

    def __init__(self, path: str, line: int, message: str):
        self.path, self.line = path, line
        super().__init__(f"{path}:{line}: {message}")


class SpanMismatch(BadInput):
    """A citation's character span no longer matches its quote in the source text."""


class IllegalTransition(BadInput):
    """A process (pipeline) transition that its state machine does not allow."""
